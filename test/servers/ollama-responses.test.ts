import assert from "node:assert/strict";
import { test } from "node:test";
import { ollamaResponses } from "./ollama-responses.ts";

interface ChatLine {
  message: { content: string; tool_calls?: unknown[] };
  done: boolean;
  done_reason?: string;
  eval_count?: number;
}

test("chat streams the text across lines and ends with one done line carrying the counts", () => {
  const spec = ollamaResponses.chat("One two  three", { evalCount: 3, doneReason: "length" });
  const lines = spec.chunks as ChatLine[];
  assert.equal(lines.map((l) => l.message.content).join(""), "One two  three");
  assert.deepEqual(
    lines.map((l) => l.done),
    [false, false, false, true],
  );
  const whole = spec.json as ChatLine;
  assert.equal(whole.message.content, "One two  three");
  for (const last of [lines.at(-1), whole]) {
    assert.equal(last?.done, true);
    assert.equal(last?.done_reason, "length");
    assert.equal(last?.eval_count, 3);
  }
});

test("chat puts tool calls in the message, with object arguments", () => {
  const spec = ollamaResponses.chat("", { toolCalls: [{ name: "weather", arguments: { city: "Tokyo" } }] });
  const expected = [{ function: { name: "weather", arguments: { city: "Tokyo" } } }];
  assert.deepEqual((spec.json as ChatLine).message.tool_calls, expected);
  assert.deepEqual(
    (spec.chunks as ChatLine[]).flatMap((l) => l.message.tool_calls ?? []),
    expected,
  );
});
