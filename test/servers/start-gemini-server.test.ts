import assert from "node:assert/strict";
import { test } from "node:test";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { APICallError, embed, embedMany, generateText, streamText, tool } from "ai";
import { z } from "zod";
import { readFixture } from "./read-fixture.ts";
import { startGeminiServer } from "./start-gemini-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

interface GenerateContentResponse {
  candidates: Array<{ content: { parts: Array<{ text?: string }> } }>;
  usageMetadata: { promptTokenCount: number; thoughtsTokenCount: number };
}

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startGeminiServer(script);
  t.after(() => server.close());
  return server;
}

function google(url: string) {
  return createGoogleGenerativeAI({ baseURL: `${url}/v1beta`, apiKey: "test-key" });
}

const partsText = (r: GenerateContentResponse) =>
  r.candidates[0]?.content.parts.map((p) => p.text ?? "").join("");
const tools = {
  weather: tool({ description: "Weather in a place", inputSchema: z.object({ location: z.string() }) }),
};

test("generateText gets the recorded candidate and usage through :generateContent", async (t) => {
  const server = await serve([{ fixture: "google/google-text" }], t);
  const recorded = readFixture("google/google-text").json as GenerateContentResponse;
  const result = await generateText({
    model: google(server.url)("gemini-3-pro-preview"),
    prompt: "Count the r's",
  });
  assert.equal(result.text, partsText(recorded));
  assert.equal(result.usage.inputTokens, recorded.usageMetadata.promptTokenCount);
  assert.equal(result.usage.outputTokenDetails.reasoningTokens, recorded.usageMetadata.thoughtsTokenCount);
  const [req] = server.requests;
  assert.equal(req?.path, "/v1beta/models/gemini-3-pro-preview:generateContent");
  assert.equal(req?.headers["x-goog-api-key"], "test-key");
});

test("streamText gets the recorded events from :streamGenerateContent?alt=sse", async (t) => {
  const server = await serve([{ fixture: "google/google-text" }], t);
  const events = readFixture("google/google-text").events as GenerateContentResponse[];
  const result = streamText({ model: google(server.url)("gemini-3-pro-preview"), prompt: "Count the r's" });
  assert.equal(await result.text, events.map(partsText).join(""));
  assert.equal(await result.finishReason, "stop");
  assert.equal(server.requests[0]?.path, "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
});

test("a functionCall part becomes a tool call, whole and streamed", async (t) => {
  const server = await serve([{ fixture: "google/google-tool-call" }], t);
  const model = google(server.url)("gemini-3-pro-preview");
  const whole = await generateText({ model, prompt: "Weather in SF?", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.input]),
    [["weather", { location: "San Francisco" }]],
  );
  const streamed = streamText({ model, prompt: "Weather in SF?", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.input]),
    [["weather", { location: "San Francisco" }]],
  );
});

test("the recorded 429 with RetryInfo surfaces as an APICallError", async (t) => {
  const server = await serve([{ status: 429, fixture: "google/google-429-retry-info" }], t);
  const model = google(server.url)("gemini-2.5-flash");
  await assert.rejects(generateText({ model, prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.message, "You exceeded your current quota, please check your plan.");
    return true;
  });
});

test("a generated error carries Gemini's code, message and status", async (t) => {
  const server = await serve([{ status: 503, message: "The model is overloaded." }], t);
  const model = google(server.url)("gemini-2.5-flash");
  await assert.rejects(generateText({ model, prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.deepEqual(JSON.parse(err.responseBody ?? ""), {
      error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" },
    });
    return true;
  });
});

test("embeddings come back from :embedContent and :batchEmbedContents (inline bodies per the API reference)", async (t) => {
  // No recorded Gemini embedding exists; these follow ai.google.dev/api/embeddings.
  const server = await serve(
    [
      { json: { embedding: { values: [0.1, -0.2, 0.3] } } },
      { json: { embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] } },
    ],
    t,
  );
  const model = google(server.url).embedding("gemini-embedding-001");
  assert.deepEqual((await embed({ model, value: "one" })).embedding, [0.1, -0.2, 0.3]);
  assert.deepEqual((await embedMany({ model, values: ["a", "b"] })).embeddings, [
    [0.1, 0.2],
    [0.3, 0.4],
  ]);
  assert.deepEqual(
    server.requests.map((r) => r.path),
    [
      "/v1beta/models/gemini-embedding-001:embedContent",
      "/v1beta/models/gemini-embedding-001:batchEmbedContents",
    ],
  );
});
