import assert from "node:assert/strict";
import { test } from "node:test";
import { localProvider } from "../providers/local-provider.ts";
import { ollamaProvider } from "../providers/ollama-provider.ts";
import { resolvePricing } from "./resolve-pricing.ts";

const catalogPrice = { inputPerMTok: 2, outputPerMTok: 8 };

test("the config's price wins over the catalog's; the catalog's serves otherwise; unknown stays unknown", () => {
  const priced = { reference: "openai:gpt-4.1", definition: {}, catalogEntry: { pricing: catalogPrice } };
  const contract = { inputPerMTok: 1, outputPerMTok: 4 };
  assert.deepEqual(resolvePricing(priced, {}), catalogPrice);
  assert.deepEqual(resolvePricing(priced, { "openai:gpt-4.1": contract }), contract);
  const endpoint = { reference: "vllm:my-model", definition: {}, catalogEntry: undefined };
  assert.equal(resolvePricing(endpoint, {}), undefined);
  assert.equal(resolvePricing({ ...endpoint, catalogEntry: { pricing: null } }, {}), undefined);
  assert.equal(resolvePricing(endpoint, { toString: contract } as never), undefined, "own keys only");
  assert.deepEqual(resolvePricing(endpoint, { "vllm:my-model": contract }), contract);
});

test("models on this machine cost nothing, whatever else is said", () => {
  for (const definition of [localProvider, ollamaProvider]) {
    const model = { reference: `${definition.id}:m`, definition, catalogEntry: { pricing: catalogPrice } };
    assert.deepEqual(resolvePricing(model, { [`${definition.id}:m`]: catalogPrice }), {
      inputPerMTok: 0,
      outputPerMTok: 0,
    });
  }
});
