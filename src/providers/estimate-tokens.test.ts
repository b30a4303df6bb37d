import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { estimateTokens } from "./estimate-tokens.ts";

test("on English prose the estimate is a little above a real tokenizer's count", () => {
  const text = readFileSync("../shared/corpus/dev/readability-ars-1/expected.txt", "utf8");
  const real = countTokens(text);
  const estimate = estimateTokens(text);
  assert.ok(estimate >= real, `${estimate} < ${real}`);
  assert.ok(estimate <= real * 1.5, `${estimate} is far above ${real}`);
});

test("CJK characters count about one token each, far above a character-per-four estimate", () => {
  const text = "東京は日本の首都です。".repeat(20);
  assert.ok(estimateTokens(text) >= text.length * 0.9);
  assert.ok(estimateTokens(text) >= countTokens(text));
});
