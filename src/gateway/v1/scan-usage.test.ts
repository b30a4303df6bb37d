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

test("reads the Responses API's usage from the tail of its stream, response.completed's", () => {
  const tail =
    'event: response.output_text.done\ndata: {"type":"response.output_text.done","text":"say \\"input_tokens\\": 9"}\n\n' +
    'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1","tools":[],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":4},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123},"user":null,"metadata":{}},"sequence_number":9}\n\n';
  assert.deepEqual(scanUsage(Buffer.from(tail)), { inputTokens: 36, outputTokens: 87, cachedInputTokens: 4 });
  assert.equal(scanUsage(Buffer.from('{"object":"response","usage":null}')), undefined);
});
