import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { type ProviderServer, startAnthropicServer } from "../../../test/servers/index.ts";
import { createChunkEncoder } from "../openai/create-chunk-encoder.ts";
import { toChatCompletion } from "../openai/to-chat-completion.ts";
import { createAnthropicRelay } from "./create-anthropic-relay.ts";

// The gateway reads Anthropic's answers itself; on every recorded answer a chat completion can
// carry, it must say exactly what the AI SDK's provider (the gateway's other path) says.
const WHOLE = [
  "anthropic/anthropic-text",
  "anthropic/anthropic-tool-no-args",
  "anthropic/anthropic-clear-thinking.1",
  "anthropic/anthropic-clear-tool-uses.1",
  "anthropic/anthropic-refusal",
];
const STREAMED = [...WHOLE, "anthropic/anthropic-message-delta-input-tokens"];
const meta = { id: "chatcmpl-1", created: 1, model: "anthropic:claude-sonnet-4-5" };
const prompt: LanguageModelV3Prompt = [{ role: "user", content: [{ type: "text", text: "Hi" }] }];
const servers: ProviderServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(fixture: string): Promise<ProviderServer> {
  const server = await startAnthropicServer([{ fixture }, { fixture }]);
  servers.push(server);
  return server;
}

// The recorded bytes as the server sends them, in awkward pieces (events and characters split).
async function recordedBytes(server: ProviderServer, stream: boolean): Promise<Buffer[]> {
  const response = await fetch(`${server.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", stream, messages: [] }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 7) pieces.push(bytes.subarray(at, at + 7));
  return pieces;
}

function relayed(pieces: Buffer[], stream: boolean) {
  const relay = createAnthropicRelay({ meta, stream, includeUsage: true, providerLabel: "Anthropic" });
  let out = "";
  for (const piece of pieces) out += relay.data(piece);
  out += relay.end();
  return { out, usage: relay.usage(), error: relay.error };
}

for (const fixture of STREAMED) {
  test(`streamed: ${fixture} reads as the AI SDK reads it`, async () => {
    const server = await serve(fixture);
    const model = createAnthropic({ apiKey: "k", baseURL: `${server.url}/v1` })("claude-sonnet-4-5");
    const { stream } = await model.doStream({ prompt });
    const encoder = createChunkEncoder(meta, true);
    let expected = "";
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      expected += encoder.encode(read.value);
    }
    const native = relayed(await recordedBytes(server, true), true);
    assert.notEqual(expected, "");
    assert.equal(native.error, undefined);
    assert.equal(native.out, expected);
    assert.equal(native.usage?.outputTokens, encoder.usage?.outputTokens.total);
  });
}

for (const fixture of WHOLE) {
  test(`whole: ${fixture} reads as the AI SDK reads it`, async () => {
    const server = await serve(fixture);
    const model = createAnthropic({ apiKey: "k", baseURL: `${server.url}/v1` })("claude-sonnet-4-5");
    const expected = JSON.stringify(toChatCompletion(await model.doGenerate({ prompt }), meta));
    const native = relayed(await recordedBytes(server, false), false);
    assert.equal(native.error, undefined);
    assert.equal(native.out, expected);
  });
}

test("an error event mid-stream is an error, with what the provider said", () => {
  const relay = createAnthropicRelay({ meta, stream: true, includeUsage: false, providerLabel: "Anthropic" });
  relay.data(
    Buffer.from(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    ),
  );
  assert.match(
    String(relay.error?.message),
    /Anthropic reported an error mid-answer: Overloaded \(overloaded_error\)/,
  );
});
