import assert from "node:assert/strict";
import { test } from "node:test";
import { createLocalLimits } from "./create-local-limits.ts";

test("tpm: admitted while the last 60 s used fewer than tpm tokens, refused at tpm, admitted again once they left", async () => {
  let now = 1_700_000_000_000;
  const limits = createLocalLimits(new Map(), () => now);
  assert.deepEqual(await limits.admitTokens("key_a", 100), { admitted: true, retryAfterSeconds: 0 });
  limits.addTokens("key_a", 60);
  now += 10_000;
  limits.addTokens("key_a", 39);
  assert.equal((await limits.admitTokens("key_a", 100)).admitted, true, "99 of 100");
  now += 5_000;
  limits.addTokens("key_a", 1);
  const refused = await limits.admitTokens("key_a", 100);
  assert.deepEqual(refused, { admitted: false, retryAfterSeconds: 45 }, "the first 60 leave 45 s later");
  assert.equal((await limits.admitTokens("key_b", 100)).admitted, true, "another key has its own window");
  now += 44_000;
  assert.equal((await limits.admitTokens("key_a", 100)).admitted, false);
  now += 1_000;
  assert.equal((await limits.admitTokens("key_a", 100)).admitted, true, "60 s after the first tokens");
  now += 15_000;
  assert.equal((await limits.admitTokens("key_a", 40)).admitted, true, "everything has left");
  limits.addTokens("key_a", 40);
  assert.deepEqual(await limits.admitTokens("key_a", 40), { admitted: false, retryAfterSeconds: 60 });
  now += 3_600_000;
  assert.equal((await limits.admitTokens("key_a", 40)).admitted, true, "an hour later");
});
