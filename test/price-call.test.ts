// One call, one price: what the library reports for a call is what priceCall makes of the inputs
// the gateway has for it (the resolved model, the config's prices, the usage with cached tokens).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { priceCall } from "../src/catalog/price-call.ts";
import { createLlmux } from "../src/client/create-llmux.ts";
import { loadConfig } from "../src/core/load-config.ts";
import type { AppModelList } from "../src/gateway/app/app-api-types.ts";
import { startGateway } from "../src/gateway/start-gateway.ts";
import { openStore } from "../src/store/open-store.ts";
import { costOfCall } from "../web/src/cost-of-call.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const servers: ProviderServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

const usage = { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 30 };
const answer = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4.1-nano",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  },
};

async function llmuxFor(prices: object) {
  const server = await startOpenAIServer([{ json: answer }]);
  servers.push(server);
  const home = makeTempDir("llmux-price-");
  writeFileSync(join(home, "config.json"), JSON.stringify({ prices }));
  const config = loadConfig({
    cwd: home,
    env: {
      LLMUX_HOME: home,
      OPENAI_API_KEY: "sk-test-openai-key-123456",
      OPENAI_BASE_URL: `${server.url}/v1`,
    },
  });
  return createLlmux({ config });
}

test("the library prices a call as priceCall does with the gateway's inputs, cached input at the cache rate", async () => {
  const prices = { "openai:gpt-4.1-nano": { inputPerMTok: 1, cachedInputPerMTok: 0.25, outputPerMTok: 4 } };
  const llmux = await llmuxFor(prices);
  const result = await llmux.generate({ model: "openai:gpt-4.1-nano", prompt: "Hello", maxRetries: 0 });
  const resolved = llmux.registry.resolve("openai:gpt-4.1-nano");
  const expected = priceCall(resolved, llmux.registry.config.file.prices, usage);
  assert.equal(expected, (200 * 1 + 1000 * 0.25 + 30 * 4) / 1e6);
  assert.equal(result.costUsd, expected);
});

test("the catalog's price, where the config gives none", async () => {
  const llmux = await llmuxFor({});
  const result = await llmux.generate({ model: "openai:gpt-4.1-nano", prompt: "Hello", maxRetries: 0 });
  const resolved = llmux.registry.resolve("openai:gpt-4.1-nano");
  assert.equal(result.costUsd, priceCall(resolved, {}, usage));
});

test("the same call costs the same through the library, the gateway's usage log and the web app", async () => {
  const prices = { "openai:gpt-4.1-nano": { inputPerMTok: 1, cachedInputPerMTok: 0.25, outputPerMTok: 4 } };
  const llmux = await llmuxFor(prices);
  const { config } = llmux.registry;
  const expected = (200 * 1 + 1000 * 0.25 + 30 * 4) / 1e6;
  const library = await llmux.generate({ model: "openai:gpt-4.1-nano", prompt: "Hello", maxRetries: 0 });
  assert.equal(library.costUsd, expected);

  const gateway = await startGateway(config, { port: 0 });
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "Hello" }] }),
  });
  const body = (await response.json()) as typeof answer;
  // The web app prices a reply from the app API's listed price and the usage the gateway relayed.
  const listed = (await (await fetch(`${gateway.url}/app/api/models`)).json()) as AppModelList;
  const model = listed.groups.flatMap((g) => g.models).find((m) => m.reference === "openai:gpt-4.1-nano");
  const inBrowser = costOfCall(model, {
    inputTokens: body.usage.prompt_tokens,
    cachedInputTokens: body.usage.prompt_tokens_details.cached_tokens,
    outputTokens: body.usage.completion_tokens,
  });
  await gateway.close();
  const store = await openStore(config);
  const rows = (await store.usage.query()).filter((row) => row.model === "gpt-4.1-nano");
  await store.close();

  assert.equal(inBrowser, expected, "the web app");
  // The library logs nothing unless asked (usageLog.library): the one row is the gateway's.
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.calls, 1);
  assert.equal(rows[0]!.costUsd, expected, "the gateway's usage row");
});
