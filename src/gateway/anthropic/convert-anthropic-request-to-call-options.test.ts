import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "../openai/request-error.ts";
import { convertAnthropicRequestToCallOptions } from "./convert-anthropic-request-to-call-options.ts";

const base = { model: "openai:gpt-4.1-nano", max_tokens: 100 };
const convert = (body: Record<string, unknown>, beta?: string) =>
  convertAnthropicRequestToCallOptions({ ...base, ...body }, beta);

test("system blocks, a system message among the others, and history with thinking and tools", () => {
  const { callOptions, ignored } = convert({
    system: [
      { type: "text", text: "One." },
      { type: "text", text: "Two.", cache_control: { type: "ephemeral" } },
    ],
    messages: [
      { role: "user", content: "Hi" },
      { role: "system", content: [{ type: "text", text: "Mid." }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Think.", signature: "sig" },
          { type: "redacted_thinking", data: "xyz" },
          { type: "tool_use", id: "t1", name: "look", input: { at: 1 } },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "t1",
            content: [
              { type: "text", text: "seen" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            ],
          },
          { type: "document", source: { type: "text", media_type: "text/plain", data: "A note." } },
        ],
      },
    ],
    thinking: { type: "disabled" },
  });
  assert.deepEqual(callOptions.prompt, [
    { role: "system", content: "One.\n\nTwo." },
    { role: "user", content: [{ type: "text", text: "Hi" }] },
    { role: "system", content: "Mid." },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Think." },
        { type: "tool-call", toolCallId: "t1", toolName: "look", input: { at: 1 } },
      ],
    },
    {
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: "t1",
          toolName: "look",
          output: {
            type: "content",
            value: [
              { type: "text", text: "seen" },
              { type: "file-data", data: "AAAA", mediaType: "image/png" },
            ],
          },
        },
      ],
    },
    { role: "user", content: [{ type: "text", text: "A note." }] },
  ]);
  assert.deepEqual(ignored, ["redacted_thinking"]);
});

test("tool_choice: any is required, tool names one, none and auto as they are; parallel-off is named", () => {
  const tools = [{ name: "a", input_schema: { type: "object" } }];
  const choice = (tool_choice: unknown) => convert({ messages: [], tools, tool_choice });
  assert.deepEqual(choice({ type: "any" }).callOptions.toolChoice, { type: "required" });
  assert.deepEqual(choice({ type: "tool", name: "a" }).callOptions.toolChoice, {
    type: "tool",
    toolName: "a",
  });
  assert.deepEqual(choice({ type: "none" }).callOptions.toolChoice, { type: "none" });
  const auto = choice({ type: "auto", disable_parallel_tool_use: true });
  assert.deepEqual(auto.callOptions.toolChoice, { type: "auto" });
  assert.deepEqual(auto.ignored, ["tool_choice.disable_parallel_tool_use"]);
  assert.throws(() => choice({ type: "tool", name: "b" }), /tool_choice\.name: no tool named "b"/);
});

test("what only Anthropic honours is named, the beta header too; thinking when on", () => {
  const { ignored } = convert(
    {
      messages: [],
      thinking: { type: "enabled", budget_tokens: 2000 },
      context_management: { edits: [] },
      output_config: { effort: "high" },
      service_tier: "auto",
    },
    "interleaved-thinking-2025-05-14",
  );
  assert.deepEqual(ignored.sort(), [
    "anthropic-beta",
    "context_management",
    "output_config",
    "service_tier",
    "thinking",
  ]);
});

test("invalid requests are 400s that name the field", () => {
  const fails = (body: Record<string, unknown>, message: RegExp) =>
    assert.throws(
      () => convertAnthropicRequestToCallOptions(body, undefined),
      (error: unknown) =>
        error instanceof RequestError && error.status === 400 && message.test(error.message),
    );
  fails({ model: "m", messages: [] }, /^max_tokens: /);
  fails({ ...base, messages: [{ role: "tool", content: "x" }] }, /^messages\.0\.role: /);
  fails(
    {
      ...base,
      messages: [
        { role: "assistant", content: [{ type: "image", source: { type: "url", url: "https://x/y.png" } }] },
      ],
    },
    /^messages\.0\.content\.0: image blocks cannot be in an assistant message/,
  );
  fails(
    {
      ...base,
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "url", url: "file:///etc/passwd" } }] },
      ],
    },
    /^messages\.0\.content\.0\.source\.url: expected an http\(s\) URL/,
  );
  fails(
    { ...base, messages: [], system: [{ type: "image", source: { type: "url", url: "https://x" } }] },
    /^system/,
  );
});
