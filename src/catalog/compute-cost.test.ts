import assert from "node:assert/strict";
import { test } from "node:test";
import { computeCost } from "./compute-cost.ts";
import { findCatalogEntry } from "./find-catalog-entry.ts";

test("cost follows the catalog price of a known model", () => {
  const entry = findCatalogEntry("openai", "gpt-4.1-mini");
  assert.ok(entry?.pricing);
  const { inputPerMTok, outputPerMTok } = entry.pricing;
  const expected = (1_000_000 * inputPerMTok + 500_000 * outputPerMTok) / 1_000_000;
  assert.equal(computeCost(entry, { inputTokens: 1_000_000, outputTokens: 500_000 }), expected);
});

test("small calls come out without floating-point noise", () => {
  const entry = findCatalogEntry("openai", "gpt-4.1-mini");
  // 0.4 and 1.6 USD per million: 3 in + 3 out is 0.0000060 exactly, not 6.000000000000001e-6.
  assert.equal(computeCost(entry, { inputTokens: 3, outputTokens: 3 }), 0.000006);
});

test("cached input tokens are billed at the cache rate", () => {
  const entry = findCatalogEntry("openai", "gpt-5-mini");
  assert.ok(entry?.pricing?.cachedInputPerMTok !== undefined);
  const { inputPerMTok, cachedInputPerMTok } = entry.pricing;
  const cost = computeCost(entry, { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 400_000 });
  assert.equal(cost, (600_000 * inputPerMTok + 400_000 * cachedInputPerMTok) / 1_000_000);
  assert.ok((cost ?? 0) < inputPerMTok);
});

test("an unknown price or unknown token counts give null, never 0", () => {
  const unpriced = findCatalogEntry("vertex", "gemini-2.5-flash");
  assert.equal(unpriced?.pricing, null);
  assert.equal(computeCost(unpriced, { inputTokens: 10, outputTokens: 10 }), null);
  assert.equal(computeCost(undefined, { inputTokens: 10, outputTokens: 10 }), null);
  const priced = findCatalogEntry("openai", "gpt-4o");
  assert.equal(computeCost(priced, { inputTokens: 10 }), null);
  assert.equal(computeCost(priced, {}), null);
});

test("a local model costs exactly 0", () => {
  const entry = findCatalogEntry("local", "qwen2.5:0.5b");
  assert.equal(computeCost(entry, { inputTokens: 5000, outputTokens: 700 }), 0);
});
