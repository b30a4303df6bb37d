import assert from "node:assert/strict";
import { test } from "node:test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { readFixture } from "../../../test/servers/read-fixture.ts";
import { createAnthropicEventEncoder } from "./create-anthropic-event-encoder.ts";
import { createAnthropicStreamReader } from "./create-anthropic-stream-reader.ts";

const usage = {
  inputTokens: { total: 30, noCache: 20, cacheRead: 10, cacheWrite: 0 },
  outputTokens: { total: 7, text: undefined, reasoning: undefined },
};
const finish = (unified: "stop" | "tool-calls" | "length"): LanguageModelV3StreamPart => ({
  type: "finish",
  finishReason: { unified, raw: undefined },
  usage,
});

function encode(parts: LanguageModelV3StreamPart[]) {
  const encoder = createAnthropicEventEncoder({ id: "msg_1", model: "openai:gpt-4.1-nano" });
  const text = parts.map((part) => encoder.encode(part)).join("");
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((frame) => {
      const [event, data] = frame.split("\n");
      const json = JSON.parse(data!.slice("data: ".length)) as Record<string, unknown>;
      assert.equal(event, `event: ${json.type}`);
      return json;
    });
}

test("thinking, text and two tool calls (one streamed, one whole): blocks opened and closed in turn", () => {
  const events = encode([
    { type: "stream-start", warnings: [] },
    { type: "reasoning-start", id: "r" },
    { type: "reasoning-delta", id: "r", delta: "Hmm." },
    { type: "reasoning-end", id: "r" },
    { type: "text-delta", id: "t", delta: "Let me look." },
    { type: "tool-input-start", id: "call_1", toolName: "get_weather" },
    { type: "tool-input-delta", id: "call_1", delta: '{"city":' },
    { type: "tool-input-delta", id: "call_1", delta: '"Paris"}' },
    { type: "tool-input-end", id: "call_1" },
    { type: "tool-call", toolCallId: "call_1", toolName: "get_weather", input: '{"city":"Paris"}' },
    { type: "tool-call", toolCallId: "call_2", toolName: "get_time", input: "" },
    finish("tool-calls"),
  ]);
  assert.deepEqual(events, [
    {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "openai:gpt-4.1-nano",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    },
    { type: "ping" },
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    },
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Hmm." } },
    { type: "content_block_stop", index: 0 },
    { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Let me look." } },
    { type: "content_block_stop", index: 1 },
    {
      type: "content_block_start",
      index: 2,
      content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} },
    },
    { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"city":' } },
    { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '"Paris"}' } },
    { type: "content_block_stop", index: 2 },
    {
      type: "content_block_start",
      index: 3,
      content_block: { type: "tool_use", id: "call_2", name: "get_time", input: {} },
    },
    { type: "content_block_delta", index: 3, delta: { type: "input_json_delta", partial_json: "{}" } },
    { type: "content_block_stop", index: 3 },
    {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 10,
        output_tokens: 7,
      },
    },
    { type: "message_stop" },
  ]);
});

test("an answer with no content is still a whole message: start, ping, delta, stop", () => {
  assert.deepEqual(
    encode([finish("length")]).map((e) => e.type),
    ["message_start", "ping", "message_delta", "message_stop"],
  );
});

test("a recorded Anthropic stream read into parts and encoded again says the same text and stop reason", () => {
  const lines = readFixture("anthropic/anthropic-text").lines!;
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = createAnthropicStreamReader((part) => parts.push(part));
  reader.write(Buffer.from(lines.map((l) => `data: ${l}\n\n`).join("")));
  reader.end();
  const events = encode(parts);
  const text = (events: Record<string, unknown>[]) =>
    events.map((e) => (e.delta as { text?: string } | undefined)?.text ?? "").join("");
  const original = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(text(events), text(original));
  const stop = (events: Record<string, unknown>[]) =>
    (events.find((e) => e.type === "message_delta")!.delta as { stop_reason: string }).stop_reason;
  assert.equal(stop(events), stop(original));
});
