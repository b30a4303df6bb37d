import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "../openai/request-error.ts";
import { convertResponsesInputToPrompt } from "./convert-responses-input-to-prompt.ts";
import type { ResponsesInputItem } from "./parse-responses-request.ts";

test("instructions, system and developer messages, user parts, and an assistant turn with its calls and their results", () => {
  const items: ResponsesInputItem[] = [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "Rules" }] },
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "Look at " },
        { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=" },
        { type: "input_image", image_url: "https://example.com/cat.jpg" },
        { type: "input_file", file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
      ],
    },
    { type: "reasoning" },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "Calling" }] },
    { type: "function_call", call_id: "c1", name: "look", arguments: '{"q":1}' },
    { type: "function_call", call_id: "c2", name: "see", arguments: "" },
    { type: "function_call_output", call_id: "c1", output: "one" },
    { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "two" }] },
    { type: "message", role: "user", content: "Thanks" },
  ];
  assert.deepEqual(convertResponsesInputToPrompt("Be brief", items), [
    { role: "system", content: "Be brief" },
    { role: "system", content: "Rules" },
    {
      role: "user",
      content: [
        { type: "text", text: "Look at " },
        { type: "file", mediaType: "image/png", data: "iVBORw0KGgo=" },
        { type: "file", mediaType: "image/*", data: new URL("https://example.com/cat.jpg") },
        { type: "file", mediaType: "application/pdf", data: "JVBERi0=", filename: "a.pdf" },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Calling" },
        { type: "tool-call", toolCallId: "c1", toolName: "look", input: { q: 1 } },
        { type: "tool-call", toolCallId: "c2", toolName: "see", input: {} },
      ],
    },
    {
      role: "tool",
      content: [
        { type: "tool-result", toolCallId: "c1", toolName: "look", output: { type: "text", value: "one" } },
        { type: "tool-result", toolCallId: "c2", toolName: "see", output: { type: "text", value: "two" } },
      ],
    },
    { role: "user", content: [{ type: "text", text: "Thanks" }] },
  ]);
});

test("errors name the request's own items, after those of earlier responses", () => {
  const earlier: ResponsesInputItem[] = [{ type: "message", role: "user", content: "Hi" }];
  const refused = (items: ResponsesInputItem[], param: string) =>
    assert.throws(
      () => convertResponsesInputToPrompt(undefined, [...earlier, ...items], earlier.length),
      (error: unknown) => error instanceof RequestError && error.status === 400 && error.param === param,
    );
  refused([{ type: "function_call_output", call_id: "nope", output: "x" }], "input[0].call_id");
  refused(
    [{ type: "message", role: "user", content: [{ type: "input_image", file_id: "file_1" }] }],
    "input[0].content[0].file_id",
  );
  refused(
    [{ type: "message", role: "system", content: [{ type: "input_image", image_url: "https://x/y.png" }] }],
    "input[0].content[0].type",
  );
  refused([{ type: "function_call", call_id: "c", name: "f", arguments: "{not json" }], "input[0].arguments");
});
