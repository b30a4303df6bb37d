// llmux's library API driven through a loopback server per wire protocol, replaying the
// providers' recorded responses: text, streaming, usage and cost, tool calls, structured output,
// error statuses, 429 then success, and abort mid-stream.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { jsonSchema, tool } from "ai";
import { findCatalogEntry } from "../src/catalog/find-catalog-entry.ts";
import { isLlmuxError, type LlmuxError } from "../src/core/errors.ts";
import type { UsageRow } from "../src/store/usage-log.ts";
import {
  ollamaResponses,
  type ProviderServer,
  type ResponseSpec,
  readFixture,
  startAnthropicServer,
  startBedrockServer,
  startCohereServer,
  startGeminiServer,
  startOllamaServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { makeLlmux } from "./support/make-llmux.ts";

interface Protocol {
  name: string;
  model: string;
  start(script: ResponseSpec[]): Promise<ProviderServer>;
  env(url: string): Record<string, string>;
  text: ResponseSpec;
  /** The text and usage the recorded response holds. */
  expected: { text: string; inputTokens: number; outputTokens: number };
  toolCall: ResponseSpec;
  toolName: string;
  /** Events to send before stalling: past the first text delta, short of the end. */
  stallAfter: number;
}

const weather = tool({
  description: "Weather in a city",
  inputSchema: jsonSchema<{ location?: string }>({
    type: "object",
    properties: { location: { type: "string" } },
  }),
});

const openAIText = readFixture("openai/chat/openai-text");
const protocols: Protocol[] = [
  {
    name: "OpenAI chat completions",
    model: "openai:gpt-4.1-nano",
    start: startOpenAIServer,
    env: (url) => ({ OPENAI_API_KEY: "sk-test-openai-key-123456", OPENAI_BASE_URL: `${url}/v1` }),
    text: { fixture: "openai/chat/openai-text" },
    expected: {
      text: (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      inputTokens: (openAIText.json as { usage: { prompt_tokens: number } }).usage.prompt_tokens,
      outputTokens: (openAIText.json as { usage: { completion_tokens: number } }).usage.completion_tokens,
    },
    toolCall: { fixture: "groq/groq-tool-call" },
    toolName: "weather",
    stallAfter: 6,
  },
  {
    name: "Anthropic messages",
    model: "anthropic:claude-sonnet-4-5",
    start: startAnthropicServer,
    env: (url) => ({ ANTHROPIC_API_KEY: "sk-ant-test-key-123456", ANTHROPIC_BASE_URL: `${url}/v1` }),
    text: { fixture: "anthropic/anthropic-text" },
    expected: {
      text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      inputTokens: 12,
      outputTokens: 29,
    },
    toolCall: { fixture: "anthropic/anthropic-tool-no-args" },
    toolName: "",
    stallAfter: 5,
  },
  {
    name: "Gemini generateContent",
    model: "google:gemini-2.5-flash",
    start: startGeminiServer,
    env: (url) => ({ GEMINI_API_KEY: "AIzaTestKeyForLoopbackOnly123", GOOGLE_BASE_URL: `${url}/v1beta` }),
    text: { fixture: "google/google-text" },
    expected: {
      text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
      inputTokens: 9,
      outputTokens: 28 + 244, // Gemini bills thinking tokens as output
    },
    toolCall: { fixture: "google/google-tool-call" },
    toolName: "weather",
    stallAfter: 1,
  },
  {
    name: "Cohere chat",
    model: "cohere:command-a-03-2025",
    start: startCohereServer,
    env: (url) => ({ COHERE_API_KEY: "cohere-test-key-123456", COHERE_BASE_URL: `${url}/v2` }),
    text: { fixture: "cohere/cohere-text" },
    expected: { text: "The capital of France is Paris.", inputTokens: 507, outputTokens: 10 },
    toolCall: { fixture: "cohere/cohere-tool-call" },
    toolName: "weather",
    stallAfter: 4,
  },
  {
    name: "Bedrock Converse",
    model: "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0",
    start: startBedrockServer,
    env: (url) => ({
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_REGION: "us-east-1",
      BEDROCK_BASE_URL: url,
    }),
    text: { fixture: "amazon-bedrock/amazon-bedrock-text" },
    expected: {
      text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
      inputTokens: 22,
      outputTokens: 57,
    },
    toolCall: { fixture: "amazon-bedrock/amazon-bedrock-tool-call.1" },
    toolName: "bash",
    stallAfter: 4,
  },
  {
    name: "Ollama native chat",
    model: "ollama:llama3.2:1b",
    start: startOllamaServer,
    env: (url) => ({ OLLAMA_HOST: url }),
    text: ollamaResponses.chat("Paris is the capital of France.", { promptEvalCount: 14, evalCount: 8 }),
    expected: { text: "Paris is the capital of France.", inputTokens: 14, outputTokens: 8 },
    toolCall: ollamaResponses.chat("", {
      toolCalls: [{ name: "weather", arguments: { location: "Paris" } }],
    }),
    toolName: "weather",
    stallAfter: 3,
  },
];

const servers: ProviderServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(protocol: Protocol, script: ResponseSpec[]) {
  const server = await protocol.start(script);
  servers.push(server);
  const rows: UsageRow[] = [];
  const llmux = makeLlmux(protocol.env(server.url), { onUsage: (row) => rows.push(row) });
  return { server, llmux, rows };
}

async function rejection(promise: Promise<unknown>): Promise<LlmuxError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isLlmuxError(error), `expected an LlmuxError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

for (const protocol of protocols) {
  describe(protocol.name, () => {
    test("generate returns the text, usage and the catalog's cost, and logs the call", async () => {
      const { server, llmux, rows } = await serve(protocol, [protocol.text]);
      const result = await llmux.generate({ model: protocol.model, prompt: "Hello", maxRetries: 0 });
      assert.equal(result.text, protocol.expected.text);
      assert.deepEqual(result.usage, {
        inputTokens: protocol.expected.inputTokens,
        outputTokens: protocol.expected.outputTokens,
      });
      assert.equal(result.model, protocol.model);
      const [provider, ...rest] = protocol.model.split(":");
      const price = findCatalogEntry(provider!, rest.join(":"))?.pricing;
      if (price) {
        const expected =
          (protocol.expected.inputTokens * price.inputPerMTok +
            protocol.expected.outputTokens * price.outputPerMTok) /
          1e6;
        assert.ok(
          Math.abs((result.costUsd ?? Number.NaN) - expected) < 1e-9,
          `cost ${result.costUsd} != ${expected}`,
        );
      } else {
        assert.equal(result.costUsd, null, "an unknown price is unknown, never 0");
      }
      assert.equal(server.requests.length, 1);
      assert.match(server.requests[0]!.body, /Hello/);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.outcome, "ok");
      assert.equal(rows[0]!.inputTokens, protocol.expected.inputTokens);
      assert.ok(!JSON.stringify(rows).includes("Hello"), "the usage log holds no prompt");
    });

    test("stream yields text deltas, then usage", async () => {
      const { llmux } = await serve(protocol, [protocol.text]);
      const { textStream, result } = llmux.stream({ model: protocol.model, prompt: "Hello", maxRetries: 0 });
      const deltas: string[] = [];
      for await (const delta of textStream) deltas.push(delta);
      const done = await result;
      assert.ok(deltas.length > 1, "the answer arrives in pieces");
      assert.equal(deltas.join(""), done.text);
      assert.ok(done.text.length > 10);
      assert.ok((done.usage.outputTokens ?? 0) > 0);
      assert.ok(done.timeToFirstTokenMs !== null && done.timeToFirstTokenMs <= done.latencyMs);
    });

    test("a tool call comes back to the caller", async () => {
      const { llmux } = await serve(protocol, [protocol.toolCall]);
      const result = await llmux.generate({
        model: protocol.model,
        prompt: "What is the weather?",
        tools: { weather, bash: tool({ inputSchema: jsonSchema({ type: "object" }) }) },
        maxRetries: 0,
      });
      assert.ok(result.toolCalls.length >= 1, "a tool call");
      if (protocol.toolName) assert.equal(result.toolCalls[0]!.toolName, protocol.toolName);
      assert.equal(typeof result.toolCalls[0]!.input, "object");
    });

    for (const [status, kind] of [
      [401, "auth"],
      [403, "auth"],
      [404, "model_not_found"],
      [400, "bad_request"],
      [500, "provider_error"],
      [503, "provider_error"],
      [429, "rate_limited"],
    ] as const) {
      test(`HTTP ${status} becomes a "${kind}" error with one line and no key`, async () => {
        const { llmux, rows } = await serve(protocol, [{ status }]);
        const error = await rejection(llmux.generate({ model: protocol.model, prompt: "Hi", maxRetries: 0 }));
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.doesNotMatch(error.userMessage, /\n/);
        for (const secret of Object.values(protocol.env("http://x"))) {
          if (secret.length > 12 && !secret.startsWith("http"))
            assert.ok(!error.userMessage.includes(secret), "no key in the message");
        }
        assert.equal(rows[0]?.outcome, "error");
        assert.equal(rows[0]?.errorKind, kind);
      });
    }

    test("a 429 with Retry-After is retried after the delay it asks for, then succeeds", async () => {
      const { server, llmux } = await serve(protocol, [
        { status: 429, headers: { "retry-after": "1" } },
        protocol.text,
      ]);
      const started = performance.now();
      const result = await llmux.generate({ model: protocol.model, prompt: "Hello", maxRetries: 2 });
      const waited = performance.now() - started;
      assert.equal(result.text, protocol.expected.text);
      assert.equal(server.requests.length, 2);
      // Retry-After says 1 s; the SDK's own backoff would have waited 2 s.
      assert.ok(waited >= 950 && waited < 1900, `waited ${Math.round(waited)} ms`);
    });

    test("abort mid-stream stops the stream and the upstream request", async () => {
      const { server, llmux, rows } = await serve(protocol, [
        { ...protocol.text, stallAfterEvents: protocol.stallAfter },
      ]);
      const controller = new AbortController();
      const { textStream, result } = llmux.stream({
        model: protocol.model,
        prompt: "Hello",
        signal: controller.signal,
        maxRetries: 0,
      });
      const error = await rejection(
        (async () => {
          for await (const _delta of textStream) controller.abort();
        })(),
      );
      assert.equal(error.kind, "aborted");
      assert.equal((await rejection(result)).kind, "aborted");
      await server.whenClosedByClient();
      assert.equal(rows.at(-1)?.outcome, "aborted");
    });
  });
}

describe("structured output", () => {
  test("JSON Schema output is parsed and returned as an object (Anthropic)", async () => {
    const protocol = protocols[1]!;
    const { llmux } = await serve(protocol, [{ fixture: "anthropic/anthropic-json-output-format.1" }]);
    const result = await llmux.generateObject<{ recipe: { name: string; ingredients: unknown[] } }>({
      model: protocol.model,
      prompt: "A lasagna recipe",
      schema: {
        type: "object",
        properties: {
          recipe: {
            type: "object",
            properties: { name: { type: "string" }, ingredients: { type: "array" } },
            required: ["name", "ingredients"],
          },
        },
        required: ["recipe"],
      },
      maxRetries: 0,
    });
    assert.equal(result.object.recipe.name, "Classic Lasagna");
    assert.ok(result.object.recipe.ingredients.length > 3);
  });

  test("output that does not match the schema is an invalid_output error (OpenAI)", async () => {
    const protocol = protocols[0]!;
    const { llmux } = await serve(protocol, [protocol.text]);
    const error = await rejection(
      llmux.generateObject({
        model: protocol.model,
        prompt: "x",
        schema: { type: "object", required: ["a"] },
        maxRetries: 0,
      }),
    );
    assert.equal(error.kind, "invalid_output");
  });
});

describe("setup errors", () => {
  test("a missing key names the env var to set, before any request", async () => {
    const llmux = makeLlmux({});
    const error = await rejection(llmux.generate({ model: "anthropic:claude-sonnet-4-5", prompt: "Hi" }));
    assert.equal(error.kind, "missing_key");
    assert.match(error.userMessage, /ANTHROPIC_API_KEY/);
  });

  test("a refused connection is connection_refused and says what to check", async () => {
    const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
    await server.close();
    const llmux = makeLlmux({
      OPENAI_API_KEY: "sk-test-openai-key-123456",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    const error = await rejection(
      llmux.generate({ model: "openai:gpt-4.1-nano", prompt: "Hi", maxRetries: 0 }),
    );
    assert.equal(error.kind, "connection_refused");
    assert.match(error.userMessage, /refused/);
  });

  test("an unknown bare model name is model_not_found with a hint", async () => {
    const error = await rejection(makeLlmux({}).generate({ model: "no-such-model-xyz", prompt: "Hi" }));
    assert.equal(error.kind, "model_not_found");
    assert.match(error.userMessage, /llmux models/);
  });

  test("a timeout is reported as a timeout", async () => {
    const protocol = protocols[0]!;
    const { llmux } = await serve(protocol, [{ ...protocol.text, stallAfterEvents: 0 }]);
    const error = await rejection(
      llmux.generate({ model: protocol.model, prompt: "Hi", timeoutMs: 300, maxRetries: 0 }),
    );
    assert.equal(error.kind, "timeout");
  });
});

describe("model references", () => {
  test("bare catalog names and aliases resolve to provider:model", () => {
    const llmux = makeLlmux({});
    assert.equal(llmux.registry.resolve("gpt-4o").reference, "openai:gpt-4o");
    assert.equal(llmux.registry.resolve("claude-sonnet-4-5").provider, "anthropic");
    assert.equal(llmux.registry.resolve("ollama:llama3.2:1b").modelId, "llama3.2:1b");
    assert.equal(llmux.registry.resolve("local:./models/x.gguf").modelId, "./models/x.gguf");
  });

  test("Perplexity's citations are kept as sources", async () => {
    const server = await startOpenAIServer([{ fixture: "perplexity/perplexity-citations" }]);
    servers.push(server);
    const llmux = makeLlmux({
      PERPLEXITY_API_KEY: "pplx-test-key-1234567890",
      PERPLEXITY_BASE_URL: server.url,
    });
    const result = await llmux.generate({
      model: "perplexity:sonar",
      prompt: "Population of San Francisco?",
      maxRetries: 0,
    });
    assert.ok(result.sources.some((s) => s.url === "https://en.wikipedia.org/wiki/San_Francisco"));
  });

  test("a call asking for what a provider cannot do is refused before anything is sent", async () => {
    const server = await startOpenAIServer([{ fixture: "perplexity/perplexity-citations" }]);
    servers.push(server);
    const llmux = makeLlmux({
      PERPLEXITY_API_KEY: "pplx-test-key-1234567890",
      PERPLEXITY_BASE_URL: server.url,
    });
    const error = await rejection(
      llmux.generate({
        model: "perplexity:sonar",
        prompt: "Weather in Paris?",
        tools: { weather: tool({ inputSchema: jsonSchema({ type: "object" }) }) },
        maxRetries: 0,
      }),
    );
    assert.equal(error.kind, "unsupported");
    assert.equal(error.exitCode, 14);
    assert.match(error.userMessage, /^Perplexity models cannot call tools\. Use a model of another provider/);
    assert.equal(server.requests.length, 0, "nothing reached Perplexity");
  });

  test("Ollama gets num_ctx and the sampling settings inside options", async () => {
    const protocol = protocols[5]!;
    const { server, llmux } = await serve(protocol, [protocol.text]);
    await llmux.generate({
      model: protocol.model,
      prompt: "Hi",
      temperature: 0.3,
      maxTokens: 50,
      maxRetries: 0,
    });
    const options = server.requests[0]!.json!.options as Record<string, unknown>;
    assert.equal(options.num_ctx, 8192);
    assert.equal(options.temperature, 0.3);
    assert.equal(options.num_predict, 50);
  });

  test("embeddings come back with usage", async () => {
    const server = await startOpenAIServer([{ fixture: "openai/embedding/openai-embedding" }]);
    servers.push(server);
    const llmux = makeLlmux({
      OPENAI_API_KEY: "sk-test-openai-key-123456",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    const result = await llmux.embed({ model: "openai:text-embedding-3-small", values: ["a", "b"] });
    assert.equal(result.embeddings.length, 2);
    assert.equal(result.usage.inputTokens, 12);
  });
});
