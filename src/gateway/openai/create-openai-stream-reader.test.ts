import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { type ProviderServer, type ResponseSpec, startOpenAIServer } from "../../../test/servers/index.ts";
import { convertOpenAICompletion } from "./convert-openai-completion.ts";
import { createOpenAIStreamReader } from "./create-openai-stream-reader.ts";

// The gateway reads OpenAI's answers itself for the Anthropic dialect; on every recorded answer
// (and calls no recording has), it must say what the AI SDK's OpenAI provider says.
const servers: ProviderServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

const head = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4.1-nano" };
const calls = [
  { id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
  { id: "call_2", name: "get_time", arguments: "" },
];
const usage = {
  prompt_tokens: 50,
  completion_tokens: 20,
  total_tokens: 70,
  prompt_tokens_details: { cached_tokens: 8 },
};
const toolCalls: ResponseSpec = {
  json: {
    ...head,
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: "Looking.",
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.arguments },
          })),
        },
        finish_reason: "tool_calls",
      },
    ],
    usage,
  },
  chunks: [
    {
      ...head,
      choices: [{ index: 0, delta: { role: "assistant", content: "Looking." }, finish_reason: null }],
    },
    ...calls.flatMap((c, index) => [
      {
        ...head,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }],
            },
            finish_reason: null,
          },
        ],
      },
      ...(c.arguments
        ? [
            {
              ...head,
              choices: [
                {
                  index: 0,
                  delta: { tool_calls: [{ index, function: { arguments: c.arguments } }] },
                  finish_reason: null,
                },
              ],
            },
          ]
        : []),
    ]),
    { ...head, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    { ...head, choices: [], usage },
  ],
};
const ANSWERS: [string, ResponseSpec][] = [
  ["openai/chat/openai-text", { fixture: "openai/chat/openai-text" }],
  ["tool calls (inline)", toolCalls],
];

async function serve(spec: ResponseSpec): Promise<ProviderServer> {
  const server = await startOpenAIServer([spec]);
  servers.push(server);
  return server;
}

// What a client can see of a stream: text, reasoning, each call whole, the finish.
function summary(parts: LanguageModelV3StreamPart[]) {
  return {
    text: parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join(""),
    reasoning: parts.map((p) => (p.type === "reasoning-delta" ? p.delta : "")).join(""),
    calls: parts.flatMap((p) =>
      p.type === "tool-call" ? [[p.toolCallId, p.toolName, p.input || "{}"]] : [],
    ),
    finish: parts
      .filter((p) => p.type === "finish")
      .map((p) => ({ reason: p.finishReason.unified, usage: { ...p.usage, raw: undefined } })),
  };
}

// Azure's model router: a first chunk with no choices (content filter results), then the answer.
const STREAMED: [string, ResponseSpec][] = [
  ...ANSWERS,
  ["openai/chat/azure-model-router.1", { fixture: "openai/chat/azure-model-router.1" }],
];

for (const [name, spec] of STREAMED) {
  test(`streamed: ${name} reads as the AI SDK reads it`, async () => {
    const server = await serve(spec);
    const model = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: "test" }).chat("gpt-4.1-nano");
    const { stream } = await model.doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
    const sdkParts: LanguageModelV3StreamPart[] = [];
    const sdkReader = stream.getReader();
    for (let next = await sdkReader.read(); !next.done; next = await sdkReader.read())
      sdkParts.push(next.value);

    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1-nano", stream: true, stream_options: { include_usage: true } }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const parts: LanguageModelV3StreamPart[] = [];
    const reader = createOpenAIStreamReader((part) => parts.push(part), "OpenAI");
    for (let at = 0; at < bytes.length; at += 7) reader.write(bytes.subarray(at, at + 7));
    reader.end();
    assert.deepEqual(summary(parts), summary(sdkParts));
  });
}

for (const [name, spec] of ANSWERS) {
  test(`whole: ${name} reads as the AI SDK reads it`, async () => {
    const server = await serve(spec);
    const model = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: "test" }).chat("gpt-4.1-nano");
    const sdk = await model.doGenerate({
      prompt: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1-nano" }),
    });
    const { result } = convertOpenAICompletion(await response.text(), "OpenAI");
    assert.ok(result);
    assert.deepEqual(result.content, sdk.content);
    assert.equal(result.finishReason.unified, sdk.finishReason.unified);
    assert.deepEqual({ ...result.usage, raw: undefined }, { ...sdk.usage, raw: undefined });
  });
}

test("an error object or a chunk that is not JSON ends the stream with an error part, and nothing after", () => {
  for (const bad of ['{"error":{"message":"Overloaded","type":"server_error"}}', "<html>"]) {
    const parts: LanguageModelV3StreamPart[] = [];
    const reader = createOpenAIStreamReader((part) => parts.push(part), "OpenAI");
    reader.write(Buffer.from(`data: ${bad}\n\ndata: {"choices":[{"delta":{"content":"late"}}]}\n\n`));
    reader.end();
    assert.deepEqual(
      parts.map((p) => p.type),
      ["error"],
    );
  }
});
