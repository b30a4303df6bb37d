import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type RedisServer, startRedis } from "../../../test/support/start-redis.ts";
import { isLlmuxError } from "../../core/errors.ts";
import { createLocalLimits } from "./create-local-limits.ts";
import { createRedisLimits } from "./create-redis-limits.ts";
import type { Limits } from "./limits.ts";

let redis: RedisServer;
const opened: Limits[] = [];
before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const limits of opened) await limits.close();
  await redis.stop();
});

/** One replica's limits on the shared Redis, its log lines kept. */
async function replica(
  options: {
    failOpen?: boolean;
    spent?: Map<string, number>;
    url?: string;
    holdLeaseMs?: number;
    spend?: () => Promise<Map<string, number>>;
    localSpent?: Map<string, number>;
  } = {},
) {
  const lines: string[] = [];
  const limits = await createRedisLimits({
    url: options.url ?? redis.url,
    failOpen: options.failOpen ?? false,
    local: createLocalLimits(options.localSpent ?? new Map()),
    spend: options.spend ?? (async () => options.spent ?? new Map()),
    log: (line) => lines.push(line),
    holdLeaseMs: options.holdLeaseMs,
  });
  opened.push(limits);
  return { limits, lines };
}

let keys = 0;
const newKey = () => `key_test${++keys}`;

test("rpm holds exactly across replicas: 3 replicas asked 75 times at once admit 20", async () => {
  const replicas = await Promise.all([replica(), replica(), replica()]);
  const key = newKey();
  const answers = await Promise.all(
    Array.from({ length: 75 }, (_, i) => replicas[i % 3]!.limits.takeRequest(key, 20)),
  );
  assert.equal(answers.filter(Boolean).length, 20);
  assert.equal(await replicas[0]!.limits.takeRequest(newKey(), 20), true, "another key has its own minute");
});

test("budget holds are atomic across replicas; a release charges the real cost", async () => {
  const [one, two] = await Promise.all([replica(), replica()]);
  const key = newKey();
  const holds = await Promise.all(
    Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).limits.hold(key, 1, 0.1)),
  );
  const held = holds.filter((h) => h.held);
  assert.equal(held.length, 10, "10 x $0.1 fit a $1 budget, whatever the replica");
  const refused = holds.find((h) => !h.held);
  assert.deepEqual(refused, { held: false, spentUsd: 0, heldUsd: 1 });
  for (const hold of held) hold.release(0.05);
  // Releases are sent in the background: wait until all five further holds fit again.
  let again = 0;
  for (let tries = 0; tries < 200 && again === 0; tries++) {
    await sleep(5);
    const probe = await two.limits.hold(key, 1, 0.5);
    if (probe.held) {
      again++;
      probe.release(0);
    }
  }
  assert.equal(again, 1);
  const last = await one.limits.hold(key, 1, 0.5000001);
  assert.equal(last.held, false, "$0.5 spent: $0.5000001 more does not fit");
  assert.equal((last as { spentUsd: number }).spentUsd, 0.5);
});

test("a hold never released (its replica died mid-request) lapses after its lease; its cost is never charged", async () => {
  const key = newKey();
  const dead = await replica({ holdLeaseMs: 100 });
  const alive = await replica();
  assert.equal((await dead.limits.hold(key, 1, 0.9)).held, true);
  assert.deepEqual(await alive.limits.hold(key, 1, 0.5), { held: false, spentUsd: 0, heldUsd: 0.9 });
  let tries = 0;
  let hold = await alive.limits.hold(key, 1, 1);
  for (; tries < 100 && !hold.held; tries++) {
    await sleep(20);
    hold = await alive.limits.hold(key, 1, 1);
  }
  assert.equal(hold.held, true, "the whole budget is free again");
});

test("a key Redis has not seen starts from the usage log's spend", async () => {
  const key = newKey();
  const { limits } = await replica({ spent: new Map([[key, 0.6]]) });
  assert.deepEqual(await limits.hold(key, 1, 0.5), { held: false, spentUsd: 0.6, heldUsd: 0 });
  assert.equal((await limits.hold(key, 1, 0.4)).held, true);
});

test("when the usage log cannot be read either, a key starts from this process's count", async () => {
  const key = newKey();
  const { limits } = await replica({
    spend: () => Promise.reject(new Error("database unreachable")),
    localSpent: new Map([[key, 0.7]]),
  });
  assert.deepEqual(await limits.hold(key, 1, 0.5), { held: false, spentUsd: 0.7, heldUsd: 0 });
});

test("Redis restarting: fail closed answers 503 with Retry-After, fail open counts locally; one line each way, and it recovers", async () => {
  const closed = await replica();
  const open = await replica({ failOpen: true });
  const key = newKey();
  assert.equal(await closed.limits.takeRequest(key, 1000), true);
  await redis.stop();
  // The client notices the closed connection on its own; until then a check may still be sent.
  let refusal: unknown;
  for (let tries = 0; tries < 200 && refusal === undefined; tries++) {
    await closed.limits.takeRequest(key, 1000).catch((error: unknown) => {
      refusal = error;
    });
    await sleep(5);
  }
  assert.ok(isLlmuxError(refusal) && refusal.kind === "busy", String(refusal));
  assert.equal(refusal.retryAfterSeconds, 2);
  await assert.rejects(
    closed.limits.hold(key, 1, 0.1),
    (error) => isLlmuxError(error) && error.kind === "busy",
  );
  assert.equal(await open.limits.takeRequest(key, 1000), true, "open: counted in this process");
  assert.equal((await open.limits.hold(key, 1, 0.1)).held, true);
  assert.equal((await open.limits.hold(key, 1, 0.95)).held, false, "open: this process's budget view holds");

  await redis.restart();
  let back = false;
  for (let tries = 0; tries < 400 && !back; tries++) {
    back = await closed.limits.takeRequest(key, 1000).then(
      () => true,
      () => false,
    );
    if (!back) await sleep(10);
  }
  assert.ok(back, "recovered by itself");
  for (const { lines } of [closed, open]) {
    await waitFor(() => lines.length === 2);
    assert.match(lines[0]!, /^lost Redis at redis:\/\/127\.0\.0\.1:\d+ \(.+\): /);
    assert.match(lines[1]!, /is back: rpm limits and budgets are shared again$/);
  }
  assert.match(closed.lines[0]!, /get 503 until it is back$/);
  assert.match(open.lines[0]!, /counts rpm and budgets on its own until it is back/);
});

test("a Redis that stops answering fails the check within its 2 s deadline, and answers again after", async () => {
  const closed = await replica();
  const open = await replica({ failOpen: true });
  const key = newKey();
  assert.equal(await closed.limits.takeRequest(key, 1000), true);
  redis.pause();
  try {
    const startedAt = performance.now();
    const [refusal, counted] = await Promise.all([
      closed.limits.takeRequest(key, 1000).catch((error: unknown) => error),
      open.limits.takeRequest(key, 1000),
    ]);
    const waitedMs = performance.now() - startedAt;
    assert.ok(isLlmuxError(refusal) && refusal.kind === "busy", String(refusal));
    assert.equal(counted, true, "open: counted in this process");
    assert.ok(waitedMs >= 1900 && waitedMs < 3000, `failed after ${Math.round(waitedMs)} ms`);
  } finally {
    redis.resume();
  }
  assert.equal(await closed.limits.takeRequest(key, 1000), true);
});

test("a Redis URL's password is never in a log line", async () => {
  const { lines } = await replica({ url: "redis://:s3cret-redis-pass@127.0.0.1:1" });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^lost Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 /);
  assert.doesNotMatch(lines[0]!, /s3cret/);
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 400 && !condition(); tries++) await sleep(10);
}

test("tpm: tokens added on one replica count on the other, within one minute", async () => {
  const [one, two] = await Promise.all([replica(), replica()]);
  const key = newKey();
  assert.deepEqual(await two.limits.admitTokens(key, 100), { admitted: true, retryAfterSeconds: 0 });
  one.limits.addTokens(key, 60);
  one.limits.addTokens(key, 39);
  // addTokens is sent in the background: wait until the other replica sees all 99.
  let seen = true;
  for (let tries = 0; tries < 200 && seen; tries++) {
    await sleep(5);
    seen = (await two.limits.admitTokens(key, 99)).admitted;
  }
  assert.equal(seen, false, "99 tokens counted");
  assert.equal((await two.limits.admitTokens(key, 100)).admitted, true, "99 of 100");
  two.limits.addTokens(key, 1);
  let refused = { admitted: true, retryAfterSeconds: 0 };
  for (let tries = 0; tries < 200 && refused.admitted; tries++) {
    await sleep(5);
    refused = await one.limits.admitTokens(key, 100);
  }
  assert.equal(refused.admitted, false, "100 tokens in the minute, from both replicas");
  assert.ok(
    refused.retryAfterSeconds >= 55 && refused.retryAfterSeconds <= 60,
    String(refused.retryAfterSeconds),
  );
  assert.equal(
    (await two.limits.admitTokens(newKey(), 100)).admitted,
    true,
    "another key has its own window",
  );
});
