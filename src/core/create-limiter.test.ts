import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createLimiter } from "./create-limiter.ts";

test("never runs more than the limit at once, and runs every task in order of arrival", async () => {
  const limit = createLimiter(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const results = await Promise.all(
    [5, 1, 3, 1, 2, 1].map((ms, i) =>
      limit(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await sleep(ms);
        running -= 1;
        return i * 10;
      }),
    ),
  );
  assert.equal(most, 2);
  assert.deepEqual(results, [0, 10, 20, 30, 40, 50]);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
});

test("a failing task frees its slot for the next", async () => {
  const limit = createLimiter(1);
  const failed = limit(async () => {
    throw new Error("boom");
  });
  const next = limit(async () => "ran");
  await assert.rejects(failed, /boom/);
  assert.equal(await next, "ran");
});
