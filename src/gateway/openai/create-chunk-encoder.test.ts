import assert from "node:assert/strict";
import { test } from "node:test";
import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import { createChunkEncoder } from "./create-chunk-encoder.ts";

const usage: LanguageModelV3Usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 4, text: 4, reasoning: 0 },
};
const events = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((e) => (e === "data: [DONE]" ? "[DONE]" : JSON.parse(e.slice(6))));

test("encodes text and tool calls as OpenAI chunks, role first, usage and [DONE] last", () => {
  const encoder = createChunkEncoder({ id: "chatcmpl-1", created: 5, model: "anthropic:x" }, true);
  const text = [
    encoder.encode({ type: "stream-start", warnings: [] }),
    encoder.encode({ type: "text-delta", id: "t", delta: 'He said "hi"' }),
    encoder.encode({ type: "tool-input-start", id: "call_1", toolName: "look" }),
    encoder.encode({ type: "tool-input-delta", id: "call_1", delta: '{"q":' }),
    encoder.encode({ type: "tool-call", toolCallId: "call_1", toolName: "look", input: '{"q":1}' }),
    encoder.encode({ type: "tool-call", toolCallId: "call_2", toolName: "other", input: "{}" }),
    encoder.encode({ type: "finish", usage, finishReason: { unified: "tool-calls", raw: "tool_use" } }),
  ].join("");
  const [role, content, start, delta, whole, finish, usageEvent, done] = events(text);
  assert.deepEqual(role.choices[0].delta, { role: "assistant", content: "" });
  assert.equal(role.object, "chat.completion.chunk");
  assert.equal(role.usage, null);
  assert.deepEqual(content.choices[0].delta, { content: 'He said "hi"' });
  assert.deepEqual(start.choices[0].delta.tool_calls, [
    { index: 0, id: "call_1", type: "function", function: { name: "look", arguments: "" } },
  ]);
  assert.deepEqual(delta.choices[0].delta.tool_calls, [{ index: 0, function: { arguments: '{"q":' } }]);
  assert.deepEqual(whole.choices[0].delta.tool_calls, [
    { index: 1, id: "call_2", type: "function", function: { name: "other", arguments: "{}" } },
  ]);
  assert.equal(finish.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(usageEvent.choices, []);
  assert.equal(usageEvent.usage.total_tokens, 7);
  assert.equal(done, "[DONE]");
  assert.equal(encoder.usage, usage);
});

test("without include_usage there is no usage field and no usage event", () => {
  const encoder = createChunkEncoder({ id: "c", created: 1, model: "m" }, false);
  const all = events(
    encoder.encode({ type: "text-delta", id: "t", delta: "x" }) +
      encoder.encode({ type: "finish", usage, finishReason: { unified: "stop", raw: "end_turn" } }),
  );
  assert.equal(all.length, 4);
  assert.ok(all.slice(0, 3).every((e) => !("usage" in e)));
});
