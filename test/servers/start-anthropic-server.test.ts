import assert from "node:assert/strict";
import { test } from "node:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { APICallError, generateText, streamText, tool } from "ai";
import { z } from "zod";
import { readFixture } from "./read-fixture.ts";
import { startAnthropicServer } from "./start-anthropic-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

interface Message {
  content: Array<{ type: string; text?: string }>;
  usage: { input_tokens: number; output_tokens: number };
}
interface StreamEvent {
  type: string;
  delta?: { type?: string; text?: string };
  usage?: { output_tokens: number };
}

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startAnthropicServer(script);
  t.after(() => server.close());
  return server;
}

function claude(url: string) {
  return createAnthropic({ baseURL: `${url}/v1`, apiKey: "test-key" })("claude-sonnet-4-5");
}

const tools = { updateIssueList: tool({ description: "Refresh the issue list", inputSchema: z.object({}) }) };

test("generateText gets the recorded message and usage through /v1/messages", async (t) => {
  const server = await serve([{ fixture: "anthropic/anthropic-text" }], t);
  const recorded = readFixture("anthropic/anthropic-text").json as Message;
  const result = await generateText({ model: claude(server.url), prompt: "How are you?" });
  assert.equal(result.text, recorded.content[0]?.text);
  assert.equal(result.usage.inputTokens, recorded.usage.input_tokens);
  assert.equal(result.usage.outputTokens, recorded.usage.output_tokens);
  assert.equal(result.finishReason, "stop");
  const [req] = server.requests;
  assert.equal(req?.path, "/v1/messages");
  assert.equal(req?.headers["x-api-key"], "test-key");
  assert.ok(req?.headers["anthropic-version"]);
  assert.equal(req?.json?.stream, undefined);
});

test("streamText gets the recorded events framed as `event: <type>`", async (t) => {
  const server = await serve([{ fixture: "anthropic/anthropic-text" }], t);
  const events = readFixture("anthropic/anthropic-text").events as StreamEvent[];
  const result = streamText({ model: claude(server.url), prompt: "How are you?" });
  const expected = events.map((e) => (e.delta?.type === "text_delta" ? e.delta.text : "")).join("");
  assert.equal(await result.text, expected);
  assert.equal(
    (await result.usage).outputTokens,
    events.find((e) => e.type === "message_delta")?.usage?.output_tokens,
  );
  assert.equal(server.requests[0]?.json?.stream, true);
});

test("a tool_use block becomes a tool call, whole and streamed", async (t) => {
  const server = await serve([{ fixture: "anthropic/anthropic-tool-no-args" }], t);
  const whole = await generateText({ model: claude(server.url), prompt: "Update my issues", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.toolCallId, c.input]),
    [["updateIssueList", "toolu_01LRmxn9vGM1d2DZSDBowdZ1", {}]],
  );
  assert.equal(whole.finishReason, "tool-calls");

  const streamed = streamText({ model: claude(server.url), prompt: "Update my issues", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.toolCallId]),
    [["updateIssueList", "toolu_01QE1WLsSVp5hy5Q3GmGTmjP"]],
  );
  assert.equal(await streamed.text, "I'll update the issue list for you.");
});

test("a 429 surfaces as an APICallError carrying Anthropic's error body", async (t) => {
  const server = await serve(
    [{ status: 429, message: "Number of requests has exceeded your rate limit" }],
    t,
  );
  await assert.rejects(generateText({ model: claude(server.url), prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.message, "Number of requests has exceeded your rate limit");
    assert.equal(JSON.parse(err.responseBody ?? "").error.type, "rate_limit_error");
    return true;
  });
});

test("an inline error event mid-stream reaches the stream's consumer", async (t) => {
  const [start] = readFixture("anthropic/anthropic-text").events ?? [];
  const server = await serve(
    [{ chunks: [start, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }] }],
    t,
  );
  const errors: unknown[] = [];
  const result = streamText({
    model: claude(server.url),
    prompt: "Hi",
    onError: ({ error }) => void errors.push(error),
  });
  assert.equal(await result.text, "");
  assert.match(JSON.stringify(errors), /overloaded_error/);
});
