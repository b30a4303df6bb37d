import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { localEngine } from "./local-engine.ts";
import { nextTokenProbabilities } from "./next-token-probabilities.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
localEngine.configure({ threads: 1 });

test("after 'Once upon a' the most likely next token is ' time'", async () => {
  const top = await nextTokenProbabilities(MODEL, "Once upon a", { top: 5 });
  assert.equal(top.length, 5);
  assert.equal(top[0]?.piece, " time");
  assert.ok((top[0]?.probability ?? 0) > 0.9);
});

test("probabilities are positive, sorted, and sum to at most 1", async () => {
  const top = await nextTokenProbabilities(MODEL, "The little dog", { top: 10 });
  assert.equal(top.length, 10);
  for (const [index, entry] of top.entries()) {
    assert.ok(entry.probability > 0);
    if (index > 0) assert.ok(entry.probability <= (top[index - 1]?.probability ?? 1));
  }
  const sum = top.reduce((total, entry) => total + entry.probability, 0);
  assert.ok(sum <= 1 + 1e-6, `sum ${sum}`);
  // the whole vocabulary sums to one (float32 rounding aside)
  const all = await nextTokenProbabilities(MODEL, "The little dog", { top: 512 });
  assert.ok(Math.abs(all.reduce((total, entry) => total + entry.probability, 0) - 1) < 1e-4);
});

test("the default is the top 10", async () => {
  assert.equal((await nextTokenProbabilities(MODEL, "Once")).length, 10);
});
