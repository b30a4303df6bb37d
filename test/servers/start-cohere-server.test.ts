import assert from "node:assert/strict";
import { test } from "node:test";
import { createCohere } from "@ai-sdk/cohere";
import { APICallError, embedMany, generateText, streamText, tool } from "ai";
import { z } from "zod";
import { readFixture } from "./read-fixture.ts";
import { startCohereServer } from "./start-cohere-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

interface ChatResponse {
  message: { content: Array<{ text: string }> };
  usage: { tokens: { input_tokens: number; output_tokens: number } };
}
interface StreamEvent {
  type: string;
  delta?: { message?: { content?: { text?: string } } };
}

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startCohereServer(script);
  t.after(() => server.close());
  return server;
}

function cohere(url: string) {
  return createCohere({ baseURL: `${url}/v2`, apiKey: "test-key" });
}

const tools = {
  weather: tool({ description: "Weather in a place", inputSchema: z.object({ location: z.string() }) }),
  cityAttractions: tool({ description: "Sights in a city", inputSchema: z.object({ city: z.string() }) }),
};

test("generateText gets the recorded reply and usage through /v2/chat", async (t) => {
  const server = await serve([{ fixture: "cohere/cohere-text" }], t);
  const recorded = readFixture("cohere/cohere-text").json as ChatResponse;
  const result = await generateText({
    model: cohere(server.url)("command-a-03-2025"),
    prompt: "Capital of France?",
  });
  assert.equal(result.text, recorded.message.content[0]?.text);
  assert.equal(result.usage.inputTokens, recorded.usage.tokens.input_tokens);
  assert.equal(result.usage.outputTokens, recorded.usage.tokens.output_tokens);
  const [req] = server.requests;
  assert.equal(req?.path, "/v2/chat");
  assert.equal(req?.headers.authorization, "Bearer test-key");
});

test("streamText gets the recorded typed events", async (t) => {
  const server = await serve([{ fixture: "cohere/cohere-text" }], t);
  const events = readFixture("cohere/cohere-text").events as StreamEvent[];
  const result = streamText({ model: cohere(server.url)("command-a-03-2025"), prompt: "Capital of France?" });
  const expected = events
    .map((e) => (e.type === "content-delta" ? e.delta?.message?.content?.text : ""))
    .join("");
  assert.equal(await result.text, expected);
  assert.equal(await result.finishReason, "stop");
  assert.equal(server.requests[0]?.json?.stream, true);
});

test("tool_calls become tool calls, whole and streamed", async (t) => {
  const server = await serve([{ fixture: "cohere/cohere-tool-call" }], t);
  const model = cohere(server.url)("command-a-03-2025");
  const whole = await generateText({ model, prompt: "Weather and sights in SF?", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.input]),
    [
      ["weather", { location: "San Francisco" }],
      ["cityAttractions", { city: "San Francisco" }],
    ],
  );
  const streamed = streamText({ model, prompt: "Weather and sights in SF?", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.toolCallId, c.input]),
    [
      ["weather", "weather_e8p4pn45zt0t", { location: "San Francisco" }],
      ["cityAttractions", "cityAttractions_pyxssbwnq9fq", { city: "San Francisco" }],
    ],
  );
  assert.equal(await streamed.finishReason, "tool-calls");
});

test("embeddings come back from /v2/embed", async (t) => {
  const server = await serve([{ fixture: "cohere/cohere-embedding" }], t);
  const recorded = readFixture("cohere/cohere-embedding").json as { embeddings: { float: number[][] } };
  const model = cohere(server.url).embedding("embed-english-v3.0");
  const result = await embedMany({ model, values: ["sunny day at the beach", "rainy day in the city"] });
  assert.deepEqual(result.embeddings, recorded.embeddings.float);
  assert.equal(result.usage.tokens, 10);
  assert.equal(server.requests[0]?.path, "/v2/embed");
});

test("a 429 surfaces as an APICallError with Cohere's message", async (t) => {
  const server = await serve([{ status: 429, message: "You are using a Trial key, which is limited" }], t);
  const model = cohere(server.url)("command-a-03-2025");
  await assert.rejects(generateText({ model, prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.message, "You are using a Trial key, which is limited");
    return true;
  });
});
