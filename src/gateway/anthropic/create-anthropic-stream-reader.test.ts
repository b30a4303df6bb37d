import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { readFixture } from "../../../test/servers/read-fixture.ts";
import { recordedAnthropicStreamText } from "../../../test/servers/recorded-streams.ts";
import { convertAnthropicMessage } from "./convert-anthropic-message.ts";
import { createAnthropicStreamReader } from "./create-anthropic-stream-reader.ts";

const DIR = path.resolve("../shared/provider-fixtures/anthropic");
const recorded = (suffix: string) =>
  readdirSync(DIR)
    .filter((file) => file.endsWith(suffix))
    .map((file) => `anthropic/${file.slice(0, -suffix.length)}`);

// Events as Anthropic sends them, cut into awkward pieces (events and characters split).
function read(events: readonly string[]) {
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = createAnthropicStreamReader((part) => parts.push(part));
  const bytes = Buffer.from(
    events.map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`).join(""),
  );
  for (let at = 0; at < bytes.length; at += 7) reader.write(bytes.subarray(at, at + 7));
  reader.end();
  return parts;
}

const streams = recorded(".chunks.txt");
test("every recorded Anthropic stream is there to replay", () => assert.ok(streams.length >= 30));

for (const name of streams) {
  test(`streamed: ${name} passes the event schema, every text delta read`, () => {
    const parts = read(readFixture(name).lines!);
    assert.deepEqual(
      parts.filter((part) => part.type === "error"),
      [],
    );
    const text = parts.map((part) => (part.type === "text-delta" ? part.delta : "")).join("");
    assert.equal(text, recordedAnthropicStreamText(name));
    assert.equal(parts.at(-1)?.type, "finish");
  });
}

for (const name of recorded(".json")) {
  const { json } = readFixture(name);
  if ((json as { type?: unknown }).type !== "message") continue;
  test(`whole: ${name} passes the message schema`, () => {
    const { result, error } = convertAnthropicMessage(readFixture(name).jsonText!);
    assert.equal(error, undefined);
    assert.ok(result);
  });
}

test("an event that does not match its schema ends the stream with an error part", () => {
  const parts = read([
    '{"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":7}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"never read"}}',
  ]);
  assert.equal(parts.length, 1);
  const [part] = parts;
  assert.equal(part?.type, "error");
  assert.match(
    String((part as { error: Error }).error.message),
    /Anthropic sent an event the gateway cannot read \(delta/,
  );
});

test("event types the schema does not know are ignored, as Anthropic's versioning asks", () => {
  const parts = read([
    '{"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}',
    '{"type":"some_future_event","whatever":1}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}',
    '{"type":"message_stop"}',
  ]);
  assert.deepEqual(
    parts.map((part) => part.type),
    ["text-delta", "finish"],
  );
});

test("an answer from Anthropic that is not JSON is a provider_error quoting only its first 200 characters", () => {
  const { error } = convertAnthropicMessage(`<html>${"x".repeat(500)}`);
  assert.ok(error instanceof Error);
  assert.equal((error as { kind?: string }).kind, "provider_error");
  assert.match(error.message, /^Anthropic sent an answer the gateway cannot read \(not JSON\): <html>x+…$/);
  assert.ok(error.message.length < 300);
});
