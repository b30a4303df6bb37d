import assert from "node:assert/strict";
import { test } from "node:test";
import { scanUsage } from "./scan-usage.ts";

test("finds the last usage object of a stream tail, skipping the null ones", () => {
  const tail =
    'data: {"choices":[{"delta":{}}],"usage":null}\n\n' +
    'data: {"choices":[],"usage":{"prompt_tokens":16,"completion_tokens":300,"total_tokens":316,"prompt_tokens_details":{"cached_tokens":8}}}\n\ndata: [DONE]\n\n';
  assert.deepEqual(scanUsage(Buffer.from(tail)), {
    inputTokens: 16,
    outputTokens: 300,
    cachedInputTokens: 8,
  });
});

test("reads spaced JSON, embeddings' prompt-only usage, and says undefined when there is none", () => {
  assert.deepEqual(scanUsage(Buffer.from('{"usage": {"prompt_tokens": 5, "completion_tokens": 7}}')), {
    inputTokens: 5,
    outputTokens: 7,
  });
  assert.deepEqual(scanUsage(Buffer.from('{"usage":{"prompt_tokens":8,"total_tokens":8}}')), {
    inputTokens: 8,
    outputTokens: 0,
  });
  assert.equal(scanUsage(Buffer.from('data: {"choices":[],"usage":null}\n\n')), undefined);
});
