import assert from "node:assert/strict";
import { test } from "node:test";
import { APICallError, embedMany, generateText, streamText, tool } from "ai";
import { createOllama } from "ollama-ai-provider-v2";
import { z } from "zod";
import { ollamaResponses } from "./ollama-responses.ts";
import { startOllamaServer } from "./start-ollama-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startOllamaServer(script);
  t.after(() => server.close());
  return server;
}

function ollama(url: string) {
  return createOllama({ baseURL: `${url}/api` });
}

const reply = "Hello from a local model.";

test("generateText asks /api/chat not to stream, forwards num_ctx in options, and gets text and counts", async (t) => {
  const server = await serve([ollamaResponses.chat(reply, { promptEvalCount: 26, evalCount: 6 })], t);
  const result = await generateText({
    model: ollama(server.url)("llama3.2"),
    prompt: "Hi",
    providerOptions: { ollama: { options: { num_ctx: 8192 } } },
  });
  assert.equal(result.text, reply);
  assert.equal(result.usage.inputTokens, 26);
  assert.equal(result.usage.outputTokens, 6);
  assert.equal(result.finishReason, "stop");
  const [req] = server.requests;
  assert.equal(req?.path, "/api/chat");
  assert.equal(req?.json?.stream, false);
  assert.deepEqual(req?.json?.options, { num_ctx: 8192 });
});

test("streamText reads the NDJSON lines and the final done line's counts", async (t) => {
  const server = await serve([ollamaResponses.chat(reply, { promptEvalCount: 26 })], t);
  const result = streamText({ model: ollama(server.url)("llama3.2"), prompt: "Hi" });
  assert.equal(await result.text, reply);
  assert.equal((await result.usage).inputTokens, 26);
  assert.equal(await result.finishReason, "stop");
  assert.equal(server.requests[0]?.json?.stream, true);
});

test("tool_calls with object arguments become tool calls, whole and streamed", async (t) => {
  const toolCalls = [{ name: "weather", arguments: { city: "Tokyo" } }];
  const server = await serve([ollamaResponses.chat("", { toolCalls })], t);
  const tools = {
    weather: tool({ description: "Weather in a city", inputSchema: z.object({ city: z.string() }) }),
  };
  const model = ollama(server.url)("llama3.2");
  const whole = await generateText({ model, prompt: "Weather in Tokyo?", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.input]),
    [["weather", { city: "Tokyo" }]],
  );
  const streamed = streamText({ model, prompt: "Weather in Tokyo?", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.input]),
    [["weather", { city: "Tokyo" }]],
  );
});

test("embeddings come back from /api/embed", async (t) => {
  const vectors = [
    [0.1, 0.2],
    [0.3, 0.4],
  ];
  const server = await serve([ollamaResponses.embed(vectors, { promptEvalCount: 4 })], t);
  const result = await embedMany({ model: ollama(server.url).embedding("all-minilm"), values: ["a", "b"] });
  assert.deepEqual(result.embeddings, vectors);
  assert.equal(result.usage.tokens, 4);
  assert.deepEqual(server.requests[0]?.json?.input, ["a", "b"]);
});

test("GET /api/tags lists the scripted models", async (t) => {
  const server = await serve([ollamaResponses.tags(["llama3.2:latest", "qwen3:8b"])], t);
  const response = await fetch(`${server.url}/api/tags`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { models: Array<{ name: string; details: { format: string } }> };
  assert.deepEqual(
    body.models.map((m) => [m.name, m.details.format]),
    [
      ["llama3.2:latest", "gguf"],
      ["qwen3:8b", "gguf"],
    ],
  );
});

test("an unknown model's 404 carries Ollama's {error} body", async (t) => {
  const server = await serve([{ status: 404, message: 'model "nope" not found, try pulling it first' }], t);
  await assert.rejects(
    generateText({ model: ollama(server.url)("nope"), prompt: "Hi", maxRetries: 0 }),
    (err) => {
      assert.ok(APICallError.isInstance(err));
      assert.equal(err.statusCode, 404);
      assert.deepEqual(JSON.parse(err.responseBody ?? ""), {
        error: 'model "nope" not found, try pulling it first',
      });
      return true;
    },
  );
});
