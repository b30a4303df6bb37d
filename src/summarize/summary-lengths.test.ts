import assert from "node:assert/strict";
import { test } from "node:test";
import { isLlmuxError } from "../core/errors.ts";
import { parseSummaryLength, resolveSummaryLength } from "./summary-lengths.ts";

test("presets grow in characters and answer tokens; short is the default", () => {
  const sizes = (["short", "medium", "long", "xl"] as const).map((name) => resolveSummaryLength(name));
  for (let i = 1; i < sizes.length; i++) {
    assert.ok(sizes[i]!.characters > sizes[i - 1]!.characters);
    assert.ok(sizes[i]!.answerTokens > sizes[i - 1]!.answerTokens);
  }
  assert.deepEqual(resolveSummaryLength(), resolveSummaryLength("short"));
});

test("a character target asks for that many characters, with answer room above it", () => {
  const target = resolveSummaryLength(1500);
  assert.equal(target.characters, 1500);
  assert.match(target.instruction, /about 1500 characters \(about 250 words\)/);
  assert.ok(target.answerTokens * 3 > 1500, "a token per 3 characters at least");
});

test("--length takes preset names (any case) and whole numbers in range; anything else is a usage error", () => {
  assert.equal(parseSummaryLength("XL"), "xl");
  assert.equal(parseSummaryLength("1500"), 1500);
  for (const bad of ["huge", "15.5", "-300", "99", "50001", "1e4", ""]) {
    assert.throws(
      () => parseSummaryLength(bad),
      (error: unknown) =>
        isLlmuxError(error) &&
        error.kind === "usage" &&
        error.message ===
          `--length must be short, medium, long, xl or a number of characters from 100 to 50000, got "${bad}"`,
      bad,
    );
  }
  assert.throws(() => parseSummaryLength("huge", "length"), /^LlmuxError: length must be/);
});
