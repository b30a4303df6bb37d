// The gateway's errors as the official `openai` client meets them, with its own retries on: a
// provider without a key is a 400 the client does not retry, and no error tells an HTTP caller
// to pass a CLI flag or run an `llmux` command.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import OpenAI from "openai";
import { startTestGateway, type TestGateway } from "./gateway-support.ts";
import { startOpenAIServer } from "./servers/index.ts";

const gateways: TestGateway[] = [];
after(() => Promise.allSettled(gateways.map((g) => g.gateway.close())));

// What only the CLI can act on: a flag, or an `llmux` command.
const CLI_WORDS = /(^|[\s(`'"])--[a-z]|`llmux\b|\bRun llmux\b/;

/** The official client with its default retries, counting every HTTP request it makes. */
function countingClient(gateway: TestGateway) {
  const counter = { requests: 0 };
  const client = new OpenAI({
    baseURL: `${gateway.gateway.url}/v1`,
    apiKey: "none",
    maxRetries: 2,
    fetch: (url, init) => {
      counter.requests++;
      return fetch(url, init);
    },
  });
  return { client, counter };
}

async function gatewayWithoutKeys(): Promise<TestGateway> {
  // No provider keys at all: the environment has only LLMUX_HOME.
  const gateway = await startTestGateway({});
  gateways.push(gateway);
  return gateway;
}

test("a provider without a key is a 400 missing_provider_key naming the variable, and the client does not retry it", async () => {
  const gateway = await gatewayWithoutKeys();
  const { client, counter } = countingClient(gateway);
  const cases = [
    // Passthrough (the request bytes would be forwarded), JSON and streaming.
    {
      variable: "OPENAI_API_KEY",
      call: () =>
        client.chat.completions.create({
          model: "openai:gpt-4.1-mini",
          messages: [{ role: "user", content: "Hi" }],
        }),
    },
    {
      variable: "OPENAI_API_KEY",
      call: () =>
        client.chat.completions.create({
          model: "openai:gpt-4.1-mini",
          messages: [{ role: "user", content: "Hi" }],
          stream: true,
        }),
    },
    // Translated through the provider layer.
    {
      variable: "ANTHROPIC_API_KEY",
      call: () =>
        client.chat.completions.create({
          model: "anthropic:claude-haiku-4-5",
          messages: [{ role: "user", content: "Hi" }],
        }),
    },
    {
      variable: "OPENAI_API_KEY",
      call: () => client.embeddings.create({ model: "openai:text-embedding-3-small", input: "Hi" }),
    },
  ];
  for (const { variable, call } of cases) {
    const before = counter.requests;
    const error = await call().then(
      () => assert.fail("the call succeeded without a provider key"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.status, 400);
    const body = error.error as { message: string; type: string; code: string };
    assert.equal(body.type, "missing_provider_key");
    assert.equal(body.code, "missing_key");
    assert.match(body.message, new RegExp(`${variable} is not set`));
    assert.match(body.message, /GET \/v1\/models/, "says what the caller can do");
    assert.doesNotMatch(body.message, CLI_WORDS);
    assert.equal(counter.requests - before, 1, `${variable}: one request, no retries`);
  }
});

test("an unknown model names the gateway's model list, not a CLI command", async () => {
  const gateway = await gatewayWithoutKeys();
  const { client, counter } = countingClient(gateway);
  const error = await client.chat.completions
    .create({ model: "no-such-model-anywhere", messages: [{ role: "user", content: "Hi" }] })
    .catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.NotFoundError, String(error));
  const body = error.error as { message: string; code: string };
  assert.equal(body.code, "model_not_found");
  assert.match(body.message, /no-such-model-anywhere.*GET \/v1\/models lists the models this gateway serves/);
  assert.doesNotMatch(body.message, CLI_WORDS);
  assert.equal(counter.requests, 1);
});

test("tools for a provider that cannot call them: a 400 naming it, and nothing forwarded", async () => {
  const server = await startOpenAIServer([{ fixture: "perplexity/perplexity-citations" }]);
  const tg = await startTestGateway({
    PERPLEXITY_API_KEY: "pplx-test-key-1234567890",
    PERPLEXITY_BASE_URL: server.url,
  });
  gateways.push(tg);
  try {
    const error = await tg
      .client()
      .chat.completions.create({
        model: "perplexity:sonar",
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
      })
      .then(
        () => assert.fail("expected a 400"),
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.match(error.message, /Perplexity models cannot call tools/);
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
