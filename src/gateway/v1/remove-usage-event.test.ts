import assert from "node:assert/strict";
import { test } from "node:test";
import { removeUsageEvent } from "./remove-usage-event.ts";

const content = 'data: {"choices":[{"delta":{"content":"Hi"}}],"usage":null}\n\n';
const usage = 'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}\n\n';
const done = "data: [DONE]\n\n";

test("drops the usage-only event and keeps the rest of the chunk byte for byte", () => {
  assert.equal(removeUsageEvent(Buffer.from(content + usage + done))?.toString(), content + done);
  assert.equal(removeUsageEvent(Buffer.from(usage))?.toString(), "");
});

test("leaves chunks without a whole usage event, and Azure's empty-choices filter events, alone", () => {
  assert.equal(removeUsageEvent(Buffer.from(content)), undefined);
  assert.equal(removeUsageEvent(Buffer.from(usage.slice(0, 30))), undefined);
  const azure = 'data: {"choices":[],"prompt_filter_results":[]}\n\n';
  assert.equal(removeUsageEvent(Buffer.from(azure + content)), undefined);
  assert.equal(removeUsageEvent(Buffer.from(azure + usage))?.toString(), azure);
});
