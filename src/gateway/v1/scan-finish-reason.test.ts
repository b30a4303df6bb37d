import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { readFixture } from "../../../test/servers/read-fixture.ts";
import { scanFinishReason } from "./scan-finish-reason.ts";

test("a whole answer's finish reason, as each upstream words it", () => {
  assert.equal(
    scanFinishReason(Buffer.from('{"choices":[{"finish_reason":"length"}],"usage":{}}'), "finish_reason"),
    "length",
  );
  assert.equal(
    scanFinishReason(Buffer.from('{"stop_reason": "end_turn", "usage": {}}'), "stop_reason"),
    "end_turn",
    "pretty-printed",
  );
  assert.equal(scanFinishReason(Buffer.from('{"done":true,"done_reason":"stop"}'), "done_reason"), "stop");
});

test("a stream's last reason wins over the nulls before it; none is undefined", () => {
  const stream = [
    'data: {"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}',
    'data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}',
    'data: {"choices":[],"usage":{"prompt_tokens":3}}',
    "data: [DONE]",
  ].join("\n\n");
  assert.equal(scanFinishReason(Buffer.from(stream), "finish_reason"), "tool_calls");
  assert.equal(scanFinishReason(Buffer.from('{"finish_reason":null}'), "finish_reason"), undefined);
  assert.equal(scanFinishReason(Buffer.from('{"finish_reason":"unterminated'), "finish_reason"), undefined);
});

test("every recorded Anthropic answer: the stop_reason found by byte search is the one its JSON says", () => {
  const names = readdirSync("../shared/provider-fixtures/anthropic")
    .filter((file) => /\.(chunks\.txt|json)$/.test(file))
    .map((file) => file.replace(/\.(chunks\.txt|json)$/, ""));
  let checked = 0;
  for (const name of new Set(names)) {
    const fixture = readFixture(`anthropic/${name}`);
    if (fixture.events) {
      const deltas = fixture.events as { type?: string; delta?: { stop_reason?: string | null } }[];
      const expected =
        deltas.findLast((event) => event.type === "message_delta")?.delta?.stop_reason ?? undefined;
      const bytes = Buffer.from(fixture.lines!.map((line) => `event: x\ndata: ${line}\n\n`).join(""));
      assert.equal(scanFinishReason(bytes, "stop_reason"), expected, `${name} (stream)`);
      checked++;
    }
    const whole = fixture.json as { type?: string; stop_reason?: string | null } | undefined;
    if (whole?.type === "message") {
      assert.equal(
        scanFinishReason(Buffer.from(fixture.jsonText!), "stop_reason"),
        whole.stop_reason ?? undefined,
        name,
      );
      checked++;
    }
  }
  assert.ok(checked > 20, `only ${checked} recorded answers`);
});
