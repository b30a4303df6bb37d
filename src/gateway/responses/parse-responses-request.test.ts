import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "../openai/request-error.ts";
import { parseResponsesRequest } from "./parse-responses-request.ts";

const refusal = (param: string, code: string) => (error: unknown) => {
  assert.ok(error instanceof RequestError);
  assert.equal(error.status, 400);
  assert.equal(error.param, param);
  assert.equal(error.code, code);
  return true;
};

test("a string input is one user message; store and parallel calls default on, as OpenAI's do", () => {
  const request = parseResponsesRequest({
    model: "m",
    input: "Hi",
    instructions: "Be brief",
    max_output_tokens: 9,
  });
  assert.deepEqual(request.input, [{ type: "message", role: "user", content: "Hi" }]);
  assert.equal(request.instructions, "Be brief");
  assert.equal(request.store, true);
  assert.equal(request.stream, false);
  assert.equal(request.parallelToolCalls, true);
  assert.equal(request.callOptions.maxOutputTokens, 9);
  assert.equal(request.callOptions.tools, undefined);
  assert.deepEqual(request.ignored, []);
});

test("messages without a type are messages; function tools, tool_choice and text.format become call options", () => {
  const request = parseResponsesRequest({
    model: "m",
    input: [
      { role: "developer", content: "Rules" },
      { role: "user", content: [{ type: "input_text", text: "Hi" }] },
    ],
    tools: [
      { type: "function", name: "look", strict: true, parameters: { type: "object", properties: {} } },
      { type: "function", name: "bare" },
    ],
    tool_choice: { type: "function", name: "look" },
    text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
    store: false,
    user: "someone",
  });
  assert.deepEqual(
    request.input.map((item) => item.type),
    ["message", "message"],
  );
  assert.deepEqual(request.callOptions.tools, [
    {
      type: "function",
      name: "look",
      description: undefined,
      inputSchema: { type: "object", properties: {} },
      strict: true,
    },
    {
      type: "function",
      name: "bare",
      description: undefined,
      inputSchema: { type: "object", properties: {} },
    },
  ]);
  assert.deepEqual(request.callOptions.toolChoice, { type: "tool", toolName: "look" });
  assert.deepEqual(request.callOptions.responseFormat, {
    type: "json",
    schema: { type: "object" },
    name: "out",
    description: undefined,
  });
  assert.equal(request.store, false);
  assert.deepEqual(
    parseResponsesRequest({ model: "m", input: "x", text: { format: { type: "json_object" } } }).callOptions
      .responseFormat,
    {
      type: "json",
    },
  );
});

test("what only OpenAI acts on is accepted and listed; hosted tools too, unless tool_choice insists on one", () => {
  const request = parseResponsesRequest({
    model: "m",
    input: "Hi",
    reasoning: { effort: "low" },
    include: ["reasoning.encrypted_content"],
    prompt_cache_key: "k",
    background: false,
    top_logprobs: 0,
    text: { verbosity: "low" },
    tools: [{ type: "web_search" }, { type: "namespace", name: "ns", tools: [] }, { type: "web_search" }],
    tool_choice: "auto",
  });
  assert.deepEqual(request.ignored, [
    "reasoning",
    "include",
    "prompt_cache_key",
    "text.verbosity",
    "tools.web_search",
    "tools.namespace",
  ]);
  assert.equal(request.callOptions.tools, undefined);
  assert.throws(
    () =>
      parseResponsesRequest({
        model: "m",
        input: "Hi",
        tools: [{ type: "web_search" }],
        tool_choice: { type: "web_search" },
      }),
    refusal("tool_choice", "unsupported_parameter"),
  );
  assert.throws(
    () =>
      parseResponsesRequest({
        model: "m",
        input: "Hi",
        tools: [{ type: "web_search" }],
        tool_choice: "required",
      }),
    refusal("tool_choice", "invalid_value"),
  );
});

test("what would change the answer is refused, naming the field", () => {
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: "Hi", background: true, prompt: { id: "p" } }),
    refusal("background", "unsupported_parameter"),
  );
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: "Hi", top_logprobs: 3 }),
    refusal("top_logprobs", "unsupported_parameter"),
  );
  assert.throws(() => parseResponsesRequest({ model: "m" }), refusal("input", "missing_required_parameter"));
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: "Hi", tools: [{ type: "something_new" }] }),
    refusal("tools[0].type", "unsupported_parameter"),
  );
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: "Hi", tools: [{ type: "function", name: "a b" }] }),
    refusal("tools[0].name", "invalid_value"),
  );
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: [{ type: "item_reference", id: "msg_1" }] }),
    refusal("input[0].type", "invalid_value"),
  );
  assert.throws(
    () => parseResponsesRequest({ model: "m", input: [{ type: "function_call", call_id: "c", name: "f" }] }),
    refusal("input[0].arguments", "invalid_value"),
  );
  assert.throws(
    () =>
      parseResponsesRequest({
        model: "m",
        input: "Hi",
        tools: [{ type: "function", name: "f" }],
        tool_choice: { type: "function", name: "g" },
      }),
    refusal("tool_choice.name", "invalid_value"),
  );
});
