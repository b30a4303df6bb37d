import assert from "node:assert/strict";
import { test } from "node:test";
import { parseChatRequest } from "./parse-chat-request.ts";
import { RequestError } from "./request-error.ts";

const refusal = (body: Record<string, unknown>) => {
  try {
    parseChatRequest(body);
  } catch (error) {
    assert.ok(error instanceof RequestError);
    return error;
  }
  assert.fail("expected a 400");
};

test("maps every role, content parts, tools, tool_choice, response_format and sampling settings", () => {
  const { callOptions, stream, includeUsage } = parseChatRequest({
    model: "anthropic:claude-haiku-4-5",
    messages: [
      { role: "developer", content: [{ type: "text", text: "Be brief" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "look", arguments: '{"q":1}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "a cat" },
    ],
    tools: [{ type: "function", function: { name: "look", parameters: { type: "object" } } }],
    tool_choice: { type: "function", function: { name: "look" } },
    response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
    max_completion_tokens: 50,
    max_tokens: 10,
    stop: "END",
    temperature: 0.2,
    top_p: 0.9,
    seed: 7,
    stream: true,
    stream_options: { include_usage: true },
    n: 1,
    user: "someone",
    logprobs: null,
  });
  assert.equal(stream, true);
  assert.equal(includeUsage, true);
  assert.deepEqual(callOptions.prompt, [
    { role: "system", content: "Be brief" },
    {
      role: "user",
      content: [
        { type: "text", text: "What is this?" },
        { type: "file", mediaType: "image/png", data: "iVBORw0KGgo=" },
      ],
    },
    {
      role: "assistant",
      content: [{ type: "tool-call", toolCallId: "c1", toolName: "look", input: { q: 1 } }],
    },
    {
      role: "tool",
      content: [
        { type: "tool-result", toolCallId: "c1", toolName: "look", output: { type: "text", value: "a cat" } },
      ],
    },
  ]);
  assert.equal(callOptions.maxOutputTokens, 50);
  assert.deepEqual(callOptions.stopSequences, ["END"]);
  assert.deepEqual(callOptions.toolChoice, { type: "tool", toolName: "look" });
  assert.deepEqual(callOptions.responseFormat, {
    type: "json",
    schema: { type: "object" },
    name: "answer",
    description: undefined,
  });
  assert.deepEqual(callOptions.tools?.[0], {
    type: "function",
    name: "look",
    description: undefined,
    inputSchema: { type: "object" },
  });
  assert.deepEqual([callOptions.temperature, callOptions.topP, callOptions.seed], [0.2, 0.9, 7]);
});

test("refuses what it cannot honour, naming the fields", () => {
  const base = { model: "m", messages: [{ role: "user", content: "Hi" }] };
  const refused = refusal({ ...base, n: 3, audio: { voice: "x" }, logprobs: false });
  assert.equal(refused.status, 400);
  assert.match(refused.message, /n, audio/);
  assert.equal(refused.param, "n");
  assert.equal(refusal({ ...base, messages: [{ role: "user", content: 1 }] }).param, "messages[0].content");
  assert.equal(refusal({ ...base, top_p: 3 }).param, "top_p");
  const args = refusal({
    ...base,
    messages: [
      {
        role: "assistant",
        tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{oops" } }],
      },
    ],
  });
  assert.equal(args.param, "messages[0].tool_calls[0].function.arguments");
  assert.equal(
    refusal({ ...base, messages: [{ role: "tool", tool_call_id: "zz", content: "x" }] }).param,
    "messages[0].tool_call_id",
  );
  assert.equal(
    refusal({ ...base, tool_choice: { type: "function", function: { name: "nope" } } }).param,
    "tool_choice.function.name",
  );
});
