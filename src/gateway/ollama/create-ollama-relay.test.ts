import assert from "node:assert/strict";
import { test } from "node:test";
import { createOllamaRelay } from "./create-ollama-relay.ts";

test("bytes pass as they are; usage is read from the last line's counts", () => {
  const relay = createOllamaRelay("http://x/api/chat", true);
  const first = Buffer.from('{"message":{"content":"Hi"},"done":false}\n');
  assert.equal(relay.data(first), first);
  relay.data(Buffer.from('{"message":{"content":""},"done":true,"prompt_eval_count":9,"eval_count":2}\n'));
  assert.equal(relay.error, undefined);
  assert.deepEqual(relay.usage(), { inputTokens: 9, outputTokens: 2 });
  assert.deepEqual(JSON.parse(relay.failure!("Upstream stream failed: x")), {
    error: "Upstream stream failed: x",
  });
});

test("a stream whose first line is an error fails as a 502, so it may be retried", () => {
  const relay = createOllamaRelay("http://x/api/chat", true);
  relay.data(Buffer.from('{"error":"model is loading"}\n'));
  assert.match(String((relay.error as { responseBody?: string }).responseBody), /model is loading/);
});

test("an error line after the answer began passes to the client and marks the stream as failed", () => {
  const relay = createOllamaRelay("http://x/api/chat", true);
  relay.data(Buffer.from('{"message":{"content":"Hi"},"done":false}\n'));
  assert.equal(relay.lateError, undefined);
  const line = Buffer.from('{"error":"an error was encountered while running the model"}\n');
  assert.equal(String(relay.data(line)), String(line));
  assert.equal(relay.error, undefined, "not a failure before the answer: it may not be retried");
  assert.match(
    String((relay.lateError as unknown as { responseBody?: string }).responseBody),
    /while running the model/,
  );
});

test("a message that merely mentions an error is no error", () => {
  const relay = createOllamaRelay("http://x/api/chat", true);
  relay.data(Buffer.from('{"message":{"content":"Hi"},"done":false}\n'));
  relay.data(Buffer.from('{"message":{"content":"\\"error\\": is a key"},"done":false}\n'));
  assert.equal(relay.lateError, undefined);
});

test("a whole answer passes untouched, whatever it quotes: its length was forwarded", () => {
  const relay = createOllamaRelay("http://x/api/chat", false);
  // A tool call whose arguments hold an "error" key and a key-shaped string: a stream's line
  // like it would be scrubbed.
  const whole = Buffer.from(
    '{"message":{"content":"","tool_calls":[{"function":{"name":"report","arguments":{"error":"sk-proj-abcdefghijklmnopqrstuvwx"}}}]},"done":true,"eval_count":2}',
  );
  assert.equal(relay.data(whole), whole);
  assert.equal(relay.lateError, undefined);
  assert.deepEqual(relay.usage(), { inputTokens: 0, outputTokens: 2 });
});
