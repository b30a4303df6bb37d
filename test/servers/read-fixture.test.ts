import assert from "node:assert/strict";
import { test } from "node:test";
import { readFixture } from "./read-fixture.ts";

test("readFixture reads a recording's whole body and its stream events", () => {
  const fixture = readFixture("anthropic/anthropic-text");
  assert.equal((fixture.json as { type: string }).type, "message");
  assert.equal(fixture.lines?.length, fixture.events?.length);
  assert.deepEqual(fixture.events?.at(-1), { type: "message_stop" });
});

test("readFixture reads a recording that only has a whole body", () => {
  const fixture = readFixture("openai/embedding/openai-embedding");
  assert.equal(fixture.lines, undefined);
  assert.ok(fixture.jsonText?.includes("text-embedding-3-small"));
});

test("readFixture names the missing recording", () => {
  assert.throws(() => readFixture("openai/chat/no-such-thing"), /no fixture openai\/chat\/no-such-thing/);
});
