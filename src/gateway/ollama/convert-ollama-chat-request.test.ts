import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "../openai/request-error.ts";
import { convertOllamaChatRequest } from "./convert-ollama-chat-request.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";

test("messages of every role, images typed from their bytes, tool calls and results matched by name", () => {
  const { callOptions, ignored, showThinking } = convertOllamaChatRequest({
    model: "x",
    messages: [
      { role: "system", content: "Be brief" },
      { role: "user", content: "What is this?", images: [PNG] },
      {
        role: "assistant",
        content: "",
        thinking: "Look first",
        tool_calls: [
          { function: { name: "look", arguments: { at: "image" } } },
          { function: { name: "weather", arguments: { city: "Oslo" } } },
        ],
      },
      { role: "tool", content: "Rain", tool_name: "weather" },
      { role: "tool", content: "A cat" },
    ],
    tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
    options: { temperature: 0.5, num_predict: 100, stop: "END", num_ctx: 4096, repeat_penalty: 1.1 },
    format: "json",
    keep_alive: "5m",
    stream: false,
  });
  assert.deepEqual(callOptions.prompt, [
    { role: "system", content: "Be brief" },
    {
      role: "user",
      content: [
        { type: "text", text: "What is this?" },
        { type: "file", mediaType: "image/png", data: PNG },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Look first" },
        { type: "tool-call", toolCallId: "call_2_0", toolName: "look", input: { at: "image" } },
        { type: "tool-call", toolCallId: "call_2_1", toolName: "weather", input: { city: "Oslo" } },
      ],
    },
    {
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: "call_2_1",
          toolName: "weather",
          output: { type: "text", value: "Rain" },
        },
        {
          type: "tool-result",
          toolCallId: "call_2_0",
          toolName: "look",
          output: { type: "text", value: "A cat" },
        },
      ],
    },
  ]);
  assert.equal(callOptions.temperature, 0.5);
  assert.equal(callOptions.maxOutputTokens, 100);
  assert.deepEqual(callOptions.stopSequences, ["END"]);
  assert.deepEqual(callOptions.responseFormat, { type: "json" });
  assert.deepEqual(
    callOptions.tools?.map((t) => t.name),
    ["weather"],
  );
  assert.deepEqual(ignored, ["keep_alive", "options.num_ctx", "options.repeat_penalty"]);
  assert.equal(showThinking, true);
});

test("a schema as format; think: false hides thinking; num_predict -1 leaves the cap to the model", () => {
  const schema = { type: "object", properties: { a: { type: "string" } } };
  const { callOptions, showThinking } = convertOllamaChatRequest({
    messages: [{ role: "user", content: "x" }],
    format: schema,
    think: false,
    options: { num_predict: -1 },
  });
  assert.deepEqual(callOptions.responseFormat, { type: "json", schema });
  assert.equal(callOptions.maxOutputTokens, undefined);
  assert.equal(showThinking, false);
});

test("what cannot be read is a 400 naming the field", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ messages: [{ role: "robot", content: "x" }] }, /^invalid messages\[0\]\.role/],
    [
      { messages: [{ role: "user", content: "x", images: ["not an image"] }] },
      /^invalid messages\[0\]\.images\[0\]: expected a base64 PNG/,
    ],
    [
      { messages: [{ role: "tool", content: "x" }] },
      /^invalid messages\[0\]: a tool message must answer a tool call/,
    ],
    [{ messages: [], format: "yaml" }, /^invalid format/],
    [{ messages: [], options: { temperature: "hot" } }, /^invalid options\.temperature/],
  ];
  for (const [body, message] of cases) {
    assert.throws(
      () => convertOllamaChatRequest(body),
      (error: unknown) =>
        error instanceof RequestError && error.status === 400 && message.test(error.message),
      JSON.stringify(body),
    );
  }
});
