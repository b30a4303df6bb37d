import assert from "node:assert/strict";
import { test } from "node:test";
import { createGroq } from "@ai-sdk/groq";
import { createMistral } from "@ai-sdk/mistral";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, embedMany, generateText, streamText, tool } from "ai";
import { z } from "zod";
import { readFixture } from "./read-fixture.ts";
import { startOpenAIServer } from "./start-openai-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

interface ChatCompletion {
  choices: Array<{ message: { content: string } }>;
  usage: { prompt_tokens: number; completion_tokens: number };
}
interface ChatChunk {
  choices: Array<{ delta: { content?: string } }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

const openaiText = readFixture("openai/chat/openai-text");
const completion = openaiText.json as ChatCompletion;
const chunks = openaiText.events as ChatChunk[];
const streamedText = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
const streamedUsage = chunks.at(-1)?.usage;

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startOpenAIServer(script);
  t.after(() => server.close());
  return server;
}

function openai(url: string) {
  return createOpenAI({ baseURL: `${url}/v1`, apiKey: "test-key" }).chat("gpt-4.1-nano");
}

test("generateText gets the recorded completion, usage and request through /v1/chat/completions", async (t) => {
  const server = await serve([{ fixture: "openai/chat/openai-text" }], t);
  const result = await generateText({ model: openai(server.url), prompt: "Invent a holiday" });
  assert.equal(result.text, completion.choices[0]?.message.content);
  assert.equal(result.usage.inputTokens, completion.usage.prompt_tokens);
  assert.equal(result.usage.outputTokens, completion.usage.completion_tokens);
  assert.equal(result.finishReason, "stop");
  const [req] = server.requests;
  assert.equal(req?.method, "POST");
  assert.equal(req?.path, "/v1/chat/completions");
  assert.equal(req?.headers.authorization, "Bearer test-key");
  assert.equal(req?.json?.model, "gpt-4.1-nano");
});

test("streamText gets the recorded deltas and the usage chunk the OpenAI provider asks for", async (t) => {
  const server = await serve([{ fixture: "openai/chat/openai-text" }], t);
  const result = streamText({ model: openai(server.url), prompt: "Invent a holiday" });
  assert.equal(await result.text, streamedText);
  const usage = await result.usage;
  assert.equal(usage.inputTokens, streamedUsage?.prompt_tokens);
  assert.equal(usage.outputTokens, streamedUsage?.completion_tokens);
  assert.deepEqual(server.requests[0]?.json?.stream_options, { include_usage: true });
});

test("the usage-only chunk is left out unless the request sets stream_options.include_usage", async (t) => {
  const server = await serve([{ fixture: "openai/chat/openai-text" }], t);
  for (const includeUsage of [false, true]) {
    const model = createOpenAICompatible({ name: "local", baseURL: `${server.url}/v1`, includeUsage });
    const result = streamText({ model: model.chatModel("gpt-4.1-nano"), prompt: "Invent a holiday" });
    assert.equal(await result.text, streamedText);
    assert.equal((await result.usage).inputTokens, includeUsage ? streamedUsage?.prompt_tokens : undefined);
  }
});

test("a tool call comes back under Groq's /openai/v1 prefix, whole and streamed", async (t) => {
  const server = await serve([{ fixture: "groq/groq-tool-call" }], t);
  const model = createGroq({ baseURL: `${server.url}/openai/v1`, apiKey: "test" })("llama-3.3-70b-versatile");
  const tools = { weather: tool({ description: "Weather now", inputSchema: z.object({}) }) };

  const whole = await generateText({ model, prompt: "Weather?", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.input]),
    [["weather", {}]],
  );
  assert.equal(whole.finishReason, "tool-calls");

  const streamed = streamText({ model, prompt: "Weather?", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.toolCallId]),
    [["weather", "tk85n1k4m"]],
  );
  assert.equal(server.requests[0]?.path, "/openai/v1/chat/completions");
  const sentTools = server.requests[0]?.json?.tools as Array<{ function: { name: string } }>;
  assert.equal(sentTools[0]?.function.name, "weather");
});

test("Mistral's recorded stream arrives through /v1/chat/completions", async (t) => {
  const server = await serve([{ fixture: "mistral/mistral-text" }], t);
  const events = readFixture("mistral/mistral-text").events as ChatChunk[];
  const model = createMistral({ baseURL: `${server.url}/v1`, apiKey: "test" })("mistral-small-latest");
  const result = streamText({ model, prompt: "Hi" });
  assert.equal(await result.text, events.map((c) => c.choices[0]?.delta.content ?? "").join(""));
  assert.equal((await result.usage).outputTokens, 8);
});

test("embeddings come back from /v1/embeddings with their usage", async (t) => {
  const server = await serve([{ fixture: "openai/embedding/openai-embedding" }], t);
  const recorded = readFixture("openai/embedding/openai-embedding").json as {
    data: Array<{ embedding: number[] }>;
  };
  const model = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: "test" }).embedding(
    "text-embedding-3-small",
  );
  const result = await embedMany({ model, values: ["sunny day", "rainy day"] });
  assert.deepEqual(
    result.embeddings,
    recorded.data.map((d) => d.embedding),
  );
  assert.equal(result.usage.tokens, 12);
  assert.equal(server.requests[0]?.path, "/v1/embeddings");
  assert.deepEqual(server.requests[0]?.json?.input, ["sunny day", "rainy day"]);
});

test("a 429 surfaces as an APICallError with OpenAI's error body and the retry-after header", async (t) => {
  const server = await serve([{ status: 429, headers: { "retry-after": "1" } }], t);
  await assert.rejects(generateText({ model: openai(server.url), prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.isRetryable, true);
    assert.equal(err.responseHeaders?.["retry-after"], "1");
    assert.deepEqual(JSON.parse(err.responseBody ?? ""), {
      error: { message: "Too Many Requests", type: "requests", param: null, code: "rate_limit_exceeded" },
    });
    return true;
  });
});

test("a recorded error body is served with its status, and the script moves on after it", async (t) => {
  const server = await serve(
    [
      { status: 400, fixture: "openai/chat/reasoning-model-legacy-parameter-error" },
      { status: 429, headers: { "retry-after": "0" } },
      { fixture: "openai/chat/openai-text" },
    ],
    t,
  );
  await assert.rejects(generateText({ model: openai(server.url), prompt: "Hi", maxRetries: 0 }), {
    message:
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
  });
  // The SDK retries the 429 at once (retry-after: 0) and then gets the completion.
  const result = await generateText({ model: openai(server.url), prompt: "Hi", maxRetries: 1 });
  assert.equal(result.text, completion.choices[0]?.message.content);
  assert.equal(server.requests.length, 3);
});
