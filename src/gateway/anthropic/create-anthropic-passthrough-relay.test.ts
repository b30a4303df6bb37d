import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import { readFixture } from "../../../test/servers/read-fixture.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import { convertAnthropicMessage } from "./convert-anthropic-message.ts";
import { createAnthropicPassthroughRelay } from "./create-anthropic-passthrough-relay.ts";
import { createAnthropicStreamReader } from "./create-anthropic-stream-reader.ts";

const DIR = path.resolve("../shared/provider-fixtures/anthropic");
const recorded = (suffix: string) =>
  readdirSync(DIR)
    .filter((file) => file.endsWith(suffix))
    .map((file) => `anthropic/${file.slice(0, -suffix.length)}`);
const frame = (lines: readonly string[]) =>
  Buffer.from(
    lines.map((l) => `event: ${(JSON.parse(l) as { type: string }).type}\ndata: ${l}\n\n`).join(""),
  );

// Through the relay in awkward pieces: what the client gets, and the usage it read by byte search.
function relay(bytes: Buffer, stream: boolean, piece = 1000) {
  const relayed = createAnthropicPassthroughRelay("http://upstream/v1/messages", stream);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += piece)
    out.push(Buffer.from(relayed.data(bytes.subarray(at, at + piece))));
  return { out: Buffer.concat(out), usage: relayed.usage(), error: relayed.error };
}

for (const name of recorded(".chunks.txt")) {
  test(`streamed: ${name} relayed byte for byte, its usage as the full reader reads it`, () => {
    const bytes = frame(readFixture(name).lines!);
    let finished: LanguageModelV3Usage | undefined;
    const reader = createAnthropicStreamReader((part) => {
      if (part.type === "finish") finished = part.usage;
    });
    reader.write(bytes);
    reader.end();
    const { out, usage, error } = relay(bytes, true);
    assert.equal(error, undefined);
    assert.ok(out.equals(bytes));
    assert.deepEqual(usage, toTokenUsage(finished!));
  });
}

for (const name of recorded(".json")) {
  const fixture = readFixture(name);
  if ((fixture.json as { type?: unknown }).type !== "message") continue;
  test(`whole: ${name}'s usage as the message schema reads it`, () => {
    const { result } = convertAnthropicMessage(fixture.jsonText!);
    const { out, usage } = relay(Buffer.from(fixture.jsonText!), false, 333);
    assert.equal(out.toString("utf8"), fixture.jsonText);
    assert.deepEqual(usage, toTokenUsage(result!.usage));
  });
}

test("a stream cut before message_delta reports no usage (the gateway estimates it instead)", () => {
  const lines = readFixture("anthropic/anthropic-text").lines!;
  assert.equal(relay(frame(lines.slice(0, 4)), true).usage, undefined);
});

test("an error event first in a 200 stream is a failure the gateway may still retry", () => {
  const { error } = relay(
    frame(['{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}']),
    true,
  );
  assert.ok(error);
  assert.equal((error as { statusCode?: number }).statusCode, 502);
  assert.match(String((error as { responseBody?: string }).responseBody), /^\{"type":"error"/);
});
