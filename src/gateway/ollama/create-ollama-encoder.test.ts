import assert from "node:assert/strict";
import { test } from "node:test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createOllamaEncoder } from "./create-ollama-encoder.ts";

const finish: LanguageModelV3StreamPart = {
  type: "finish",
  finishReason: { unified: "length", raw: "max_tokens" },
  usage: {
    inputTokens: { total: 11, noCache: 11, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 3, text: 3, reasoning: undefined },
  },
};
const parts: LanguageModelV3StreamPart[] = [
  { type: "stream-start", warnings: [] },
  { type: "reasoning-delta", id: "r", delta: "Hmm" },
  { type: "text-delta", id: "t", delta: "Hel" },
  { type: "text-delta", id: "t", delta: "lo" },
  { type: "tool-call", toolCallId: "c1", toolName: "f", input: '{"a":1}' },
  finish,
];

test("chat: a line per text, thinking and tool call, then the done line with counts in nanoseconds", () => {
  const encoder = createOllamaEncoder({
    kind: "chat",
    model: "m:1b",
    showThinking: true,
    started: performance.now(),
  });
  const lines = parts.map((p) => encoder.line(p)).filter((l) => l !== "");
  const messages = lines.map((l) => JSON.parse(l) as { model: string; done: boolean; message: unknown });
  assert.ok(lines.every((l) => l.endsWith("}\n") && !l.slice(0, -1).includes("\n")));
  assert.deepEqual(
    messages.map((m) => m.message),
    [
      { role: "assistant", content: "", thinking: "Hmm" },
      { role: "assistant", content: "Hel" },
      { role: "assistant", content: "lo" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c1", function: { index: 0, name: "f", arguments: { a: 1 } } }],
      },
    ],
  );
  assert.ok(messages.every((m) => m.model === "m:1b" && m.done === false));
  const last = JSON.parse(encoder.finish());
  assert.deepEqual(last.message, { role: "assistant", content: "" });
  assert.equal(last.done, true);
  assert.equal(last.done_reason, "length");
  assert.equal(last.prompt_eval_count, 11);
  assert.equal(last.eval_count, 3);
  for (const field of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
    assert.ok(Number.isInteger(last[field]) && last[field] >= 0, field);
  }
  const whole = JSON.parse(encoder.whole());
  assert.deepEqual(whole.message, {
    role: "assistant",
    content: "Hello",
    thinking: "Hmm",
    tool_calls: [{ id: "c1", function: { index: 0, name: "f", arguments: { a: 1 } } }],
  });
});

test("generate answers in `response`, without tool calls; thinking hidden when turned off", () => {
  const encoder = createOllamaEncoder({
    kind: "generate",
    model: "m",
    showThinking: false,
    started: performance.now(),
  });
  const lines = parts.map((p) => encoder.line(p)).filter((l) => l !== "");
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).response),
    ["Hel", "lo"],
  );
  const whole = JSON.parse(encoder.whole());
  assert.equal(whole.response, "Hello");
  assert.equal(whole.thinking, undefined);
  assert.equal(whole.message, undefined);
});
