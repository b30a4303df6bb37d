import assert from "node:assert/strict";
import { test } from "node:test";
import { localProvider } from "../providers/local-provider.ts";
import { ollamaProvider } from "../providers/ollama-provider.ts";
import { priceCall } from "./price-call.ts";

const priced = { reference: "vllm:m", definition: {}, catalogEntry: undefined };

test("a call costs its tokens at the config's or the catalog's price; unknown stays null", () => {
  const prices = { "vllm:m": { inputPerMTok: 2, outputPerMTok: 8 } };
  assert.equal(priceCall(priced, prices, { inputTokens: 1000, outputTokens: 100 }), 0.0028);
  assert.equal(priceCall(priced, {}, { inputTokens: 1000, outputTokens: 100 }), null);
  assert.equal(priceCall(priced, prices, { inputTokens: 1000 }), null);
});

test("a model on this machine costs nothing, even when its engine counted nothing", () => {
  for (const definition of [localProvider, ollamaProvider]) {
    assert.equal(priceCall({ ...priced, definition }, {}, {}), 0);
  }
});
