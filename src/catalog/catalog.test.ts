import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { BUILT_IN_PROVIDERS } from "../providers/provider-registry.ts";
import data from "./catalog.json" with { type: "json" };
import { listCatalog } from "./catalog.ts";
import { catalogSchema } from "./catalog-schema.ts";

test("the data file validates against the catalog schema", () => {
  const parsed = catalogSchema.safeParse(data);
  assert.ok(parsed.success, parsed.success ? "" : z.prettifyError(parsed.error));
  assert.ok(listCatalog().length > 50);
});

test("the schema refuses a price without its date, and a duplicate entry", () => {
  const [first] = data.models;
  const undated = { ...first, pricesAsOf: null };
  assert.equal(catalogSchema.safeParse({ ...data, models: [undated] }).success, false);
  assert.equal(catalogSchema.safeParse({ ...data, models: [first, first] }).success, false);
});

test("every built-in provider has at least one model", () => {
  const present = new Set<string>(listCatalog().map((entry) => entry.provider));
  for (const { id: provider } of BUILT_IN_PROVIDERS)
    assert.ok(present.has(provider), `no catalog entry for ${provider}`);
});

test("every entry has a context window and a source; hosted prices carry no zero and a date", () => {
  for (const entry of listCatalog()) {
    const id = `${entry.provider}:${entry.model}`;
    assert.ok(entry.contextWindow > 0, id);
    assert.ok(entry.source.length > 0, id);
    if (entry.source !== "runs locally" && entry.pricing && !entry.embedding) {
      // A hosted chat model that costs nothing would be a typo for "unknown" (null).
      assert.ok(entry.pricing.inputPerMTok > 0 && entry.pricing.outputPerMTok > 0, id);
    }
    if (entry.source !== "runs locally" && entry.pricing) {
      assert.match(entry.pricesAsOf ?? "", /^\d{4}-\d{2}/, `${id}: every price shows the date it was taken`);
    }
  }
});

test("the embedded engine's models each name a Q4_K_M GGUF file on Hugging Face", () => {
  const local = listCatalog().filter((entry) => entry.provider === "local");
  assert.deepEqual(local.map((entry) => entry.model).sort(), [
    "deepseek-r1:1.5b",
    "gemma3:1b",
    "llama3.2:1b",
    "llama3.2:3b",
    "phi4-mini",
    "qwen2.5:0.5b",
    "qwen2.5:1.5b",
    "qwen2.5:3b",
  ]);
  for (const entry of local) {
    assert.match(entry.gguf?.file ?? "", /q4_k_m\.gguf$/i, entry.model);
    assert.deepEqual(entry.pricing, { inputPerMTok: 0, outputPerMTok: 0 });
  }
});

test("no model is listed twice for one provider", () => {
  const keys = listCatalog().map((entry) => `${entry.provider}:${entry.model}`);
  assert.equal(new Set(keys).size, keys.length);
});
