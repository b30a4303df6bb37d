import assert from "node:assert/strict";
import { test } from "node:test";
import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import { createResponsesEventEncoder } from "./create-responses-event-encoder.ts";
import { parseResponsesRequest } from "./parse-responses-request.ts";

const usage: LanguageModelV3Usage = {
  inputTokens: { total: 3, noCache: 1, cacheRead: 2, cacheWrite: 0 },
  outputTokens: { total: 4, text: 3, reasoning: 1 },
};
const meta = (body: Record<string, unknown> = {}) => ({
  id: "resp_1",
  createdAt: 5,
  model: "anthropic:x",
  request: parseResponsesRequest({ model: "x", input: "Hi", ...body }),
});
const events = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [event, data] = block.split("\n");
      const parsed = JSON.parse(data!.slice("data: ".length));
      assert.equal(event, `event: ${parsed.type}`);
      return parsed;
    });

test("text, then a streamed call and a whole one: items opened, filled and closed in order, numbered from 0", () => {
  const encoder = createResponsesEventEncoder(meta(), true);
  const text = [
    encoder.start(),
    encoder.encode({ type: "stream-start", warnings: [] }),
    encoder.encode({ type: "text-delta", id: "t", delta: 'He said "hi"' }),
    encoder.encode({ type: "tool-input-start", id: "call_1", toolName: "look" }),
    encoder.encode({ type: "tool-input-delta", id: "call_1", delta: '{"q":' }),
    encoder.encode({ type: "tool-input-delta", id: "call_1", delta: "1}" }),
    encoder.encode({ type: "tool-call", toolCallId: "call_1", toolName: "look", input: '{"q":1}' }),
    encoder.encode({ type: "tool-call", toolCallId: "call_2", toolName: "other", input: "{}" }),
    encoder.encode({ type: "finish", usage, finishReason: { unified: "tool-calls", raw: "tool_use" } }),
  ].join("");
  const all = events(text);
  assert.deepEqual(
    all.map((e) => e.sequence_number),
    all.map((_, i) => i),
  );
  assert.deepEqual(
    all.map((e) => [e.type, e.output_index ?? null]),
    [
      ["response.created", null],
      ["response.in_progress", null],
      ["response.output_item.added", 0],
      ["response.content_part.added", 0],
      ["response.output_text.delta", 0],
      ["response.output_text.done", 0],
      ["response.content_part.done", 0],
      ["response.output_item.done", 0],
      ["response.output_item.added", 1],
      ["response.function_call_arguments.delta", 1],
      ["response.function_call_arguments.delta", 1],
      ["response.function_call_arguments.done", 1],
      ["response.output_item.done", 1],
      ["response.output_item.added", 2],
      ["response.function_call_arguments.delta", 2],
      ["response.function_call_arguments.done", 2],
      ["response.output_item.done", 2],
      ["response.completed", null],
    ],
  );
  assert.equal(all[0].response.status, "in_progress");
  assert.deepEqual(all[0].response.output, []);
  assert.deepEqual(all[2].item.content, []);
  assert.equal(all[5].text, 'He said "hi"');
  const completed = all.at(-1).response;
  assert.equal(completed.status, "completed");
  assert.deepEqual(completed.usage, {
    input_tokens: 3,
    input_tokens_details: { cached_tokens: 2 },
    output_tokens: 4,
    output_tokens_details: { reasoning_tokens: 1 },
    total_tokens: 7,
  });
  assert.deepEqual(
    completed.output.map((item: { type: string; status: string; call_id?: string; arguments?: string }) => [
      item.type,
      item.status,
      item.call_id ?? null,
      item.arguments ?? null,
    ]),
    [
      ["message", "completed", null, null],
      ["function_call", "completed", "call_1", '{"q":1}'],
      ["function_call", "completed", "call_2", "{}"],
    ],
  );
  assert.deepEqual(encoder.response, completed);
  assert.equal(encoder.usage, usage);
});

test("the output cap reached ends with response.incomplete; without parallel calls only the first call is kept", () => {
  const encoder = createResponsesEventEncoder(meta({ parallel_tool_calls: false }), false);
  const text = [
    encoder.encode({ type: "text-delta", id: "t", delta: "Let me look" }),
    encoder.encode({ type: "tool-call", toolCallId: "call_1", toolName: "look", input: "{}" }),
    encoder.encode({ type: "tool-input-start", id: "call_2", toolName: "look" }),
    encoder.encode({ type: "tool-input-delta", id: "call_2", delta: "{}" }),
    encoder.encode({ type: "tool-call", toolCallId: "call_2", toolName: "look", input: "{}" }),
    encoder.encode({ type: "finish", usage, finishReason: { unified: "length", raw: "length" } }),
  ].join("");
  const all = events(text);
  const last = all.at(-1);
  assert.equal(last.type, "response.incomplete");
  assert.equal(last.response.status, "incomplete");
  assert.deepEqual(last.response.incomplete_details, { reason: "max_output_tokens" });
  assert.equal(last.response.parallel_tool_calls, false);
  assert.deepEqual(
    last.response.output.map((item: { type: string; status: string }) => [item.type, item.status]),
    [
      ["message", "completed"],
      ["function_call", "completed"],
    ],
  );
  assert.equal(last.response.output[1].call_id, "call_1");
  const cut = createResponsesEventEncoder(meta(), true);
  cut.encode({ type: "text-delta", id: "t", delta: "Once upon" });
  cut.encode({ type: "finish", usage, finishReason: { unified: "length", raw: "length" } });
  assert.equal(
    cut.response?.output[0] && (cut.response.output[0] as { status: string }).status,
    "incomplete",
  );
});

test("a failure after the stream began is response.failed, with what the stream had", () => {
  const encoder = createResponsesEventEncoder(meta(), true);
  encoder.start();
  encoder.encode({ type: "text-delta", id: "t", delta: "Half" });
  const [failed] = events(encoder.fail("Anthropic reported an error mid-answer: Overloaded"));
  assert.equal(failed.type, "response.failed");
  assert.equal(failed.sequence_number, 5);
  assert.equal(failed.response.status, "failed");
  assert.deepEqual(failed.response.error, {
    code: "server_error",
    message: "Anthropic reported an error mid-answer: Overloaded",
  });
  assert.equal(failed.response.output[0].content[0].text, "Half");
  assert.equal(encoder.response, undefined);
});

test("reasoning streams as a reasoning item before the message, its text in one reasoning_text part", () => {
  const encoder = createResponsesEventEncoder(meta(), true);
  const all = events(
    [
      encoder.encode({ type: "reasoning-delta", id: "r", delta: "Think" }),
      encoder.encode({ type: "reasoning-delta", id: "r", delta: "ing" }),
      encoder.encode({ type: "text-delta", id: "t", delta: "Answer" }),
      encoder.encode({ type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } }),
    ].join(""),
  );
  assert.deepEqual(
    all.map((e) => e.type),
    [
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ],
  );
  assert.deepEqual(all[0].item, {
    id: all[0].item.id,
    type: "reasoning",
    status: "in_progress",
    summary: [],
    content: [],
  });
  assert.deepEqual(all[4].text, "Thinking");
  assert.deepEqual(all.at(-1).response.output[0].content, [{ type: "reasoning_text", text: "Thinking" }]);
});
