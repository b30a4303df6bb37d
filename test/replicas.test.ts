// Gateway replicas as they are deployed: three `llmux serve` processes (the built binary) on one
// PostgreSQL database and one Redis, clients spread across them, keys made with `llmux keys`.
// Limits and budgets hold across the three, a revocation reaches all within a second, and
// PostgreSQL or Redis restarting under load crashes nothing and loses no usage row.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import { OPENAI_KEY } from "./gateway-support.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { serveBinary } from "./support/serve-binary.ts";
import { type PostgresServer, startPostgres } from "./support/start-postgres.ts";
import { type RedisServer, startRedis } from "./support/start-redis.ts";

// openai:gpt-4.1 costs $2 / $8 per million input / output tokens. The recorded answer reports 16
// prompt and 363 completion tokens: $0.002936. With max_tokens 400 a request holds about $0.00325.
const MODEL = "openai:gpt-4.1";
const MAX_TOKENS = 400;
const ANSWER_COST = (16 * 2 + 363 * 8) / 1e6;

let postgres: PostgresServer;
let redis: RedisServer;
let upstream: ProviderServer;
const children: ChildProcess[] = [];
before(async () => {
  [postgres, redis, upstream] = await Promise.all([
    startPostgres(),
    startRedis(),
    startOpenAIServer([{ fixture: "openai/chat/openai-text" }]),
  ]);
});
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await upstream.close();
  await redis.stop();
  await postgres.stop();
});

interface Replica {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM; resolves with the exit code once its last usage rows are written. */
  stop(): Promise<number | null>;
}

/** The settings every replica of one deployment shares (as docker-compose.yml sets them). */
async function deployment(options: { redis?: boolean } = {}) {
  const env: Record<string, string> = {
    LLMUX_DATABASE_URL: await postgres.createDatabase(),
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${upstream.url}/v1`,
  };
  if (options.redis !== false) env.LLMUX_REDIS_URL = redis.url;
  const cli = (args: string[]) => runCli(args, { env });
  const key = async (flags: string[]) => {
    const created = await cli(["keys", "create", ...flags, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    return parseJsonLines<{ id: string; token: string }>(created.stdout)[0]!;
  };
  return { env, cli, key };
}

/** One `llmux serve` on a free port, with its own LLMUX_HOME (another machine, as it were). */
async function serve(env: Record<string, string>): Promise<Replica> {
  const replica = await serveBinary(children, env, makeHome());
  return {
    ...replica,
    async stop() {
      const exited = once(replica.child, "exit");
      replica.child.kill("SIGTERM");
      return (await exited)[0] as number | null;
    },
  };
}

/** One chat completion through `replica`; its status and Retry-After. */
async function ask(replica: Replica, token: string | undefined, maxTokens = MAX_TOKENS) {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      model: MODEL,
      max_tokens: maxTokens,
      messages: [{ role: "user", content: "Hi" }],
    }),
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

async function usageCalls(cli: (args: string[]) => ReturnType<typeof runCli>): Promise<number> {
  const usage = await cli(["usage", "--json"]);
  assert.equal(usage.code, 0, usage.stderr);
  return parseJsonLines(usage.stdout).reduce((sum, row) => sum + (row.calls as number), 0);
}

describe("three replicas on one PostgreSQL and one Redis", () => {
  test("rpm 60: exactly 60 of 300 requests spread over the three; 30 concurrent budgeted requests overspend by $0; a revocation reaches all three within a second", async (t) => {
    const { env, cli, key } = await deployment();
    const budget = 0.03;
    // Made before the replicas start: until a key exists, a gateway is open to all.
    const [limited, budgeted, revocable] = [
      await key(["--rpm", "60"]),
      await key(["--budget", String(budget)]),
      await key([]),
    ];
    const replicas = await Promise.all([serve(env), serve(env), serve(env)]);

    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => ask(replicas[i % 3]!, limited.token, 16)),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    const counts = countBy(statuses);
    t.diagnostic(`rpm 60: ${counts.get(200)} of 300 admitted across 3 replicas`);
    assert.deepEqual([...counts].sort(), [
      [200, 60],
      [429, 240],
    ]);

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => ask(replicas[i % 3]!, budgeted.token)),
    );
    const admitted = answers.filter((a) => a.status === 200).length;
    assert.deepEqual(
      [...new Set(answers.map((a) => a.status))].sort(),
      [200, 429],
      "some admitted, the rest refused for the budget",
    );
    // Nine holds fit at once; a tenth only once some have settled at their real cost.
    assert.ok(admitted >= 9 && admitted <= 10, `${admitted} admitted`);

    for (const replica of replicas) assert.equal((await ask(replica, revocable.token, 16)).status, 200);
    const revoked = await cli(["keys", "revoke", revocable.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const since = performance.now();
    const refusedAfterMs = await Promise.all(
      replicas.map(async (replica) => {
        for (;;) {
          const response = await fetch(`${replica.url}/v1/models`, {
            headers: { authorization: `Bearer ${revocable.token}` },
          });
          await response.arrayBuffer();
          if (response.status === 401) return performance.now() - since;
          assert.ok(performance.now() - since < 1000, "still served a second after its revocation");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    t.diagnostic(`revocation refused after ${refusedAfterMs.map((ms) => Math.round(ms)).join(", ")} ms`);

    assert.deepEqual(await Promise.all(replicas.map((r) => r.stop())), [0, 0, 0]);
    const listed = parseJsonLines((await cli(["keys", "list", "--json"])).stdout);
    const spent = listed.find((k) => k.id === budgeted.id)!.spentUsd as number;
    t.diagnostic(
      `budget $${budget}: spent $${spent} by ${admitted} requests (overspend $${Math.max(0, spent - budget)})`,
    );
    assert.ok(spent <= budget, `spent $${spent} of $${budget}`);
    assert.equal(Math.round(spent * 1e9), Math.round(admitted * ANSWER_COST * 1e9));
    for (const replica of replicas) {
      assert.doesNotMatch(replica.stderr(), /per replica|lost Redis/, replica.stderr());
    }
  });

  test("PostgreSQL restarted mid-load: every acknowledged request has its usage row", async (t) => {
    const { env, cli } = await deployment();
    const replicas = await Promise.all([serve(env), serve(env), serve(env)]);
    const counts = new Map<number, number>();
    let sent = 0;
    let stop = false;
    const load = async (replica: Replica) => {
      while (!stop) {
        const { status } = await ask(replica, undefined, 16);
        sent++;
        counts.set(status, (counts.get(status) ?? 0) + 1);
      }
    };
    const clients = Array.from({ length: 6 }, (_, i) => load(replicas[i % 3]!));
    const waitForSent = async (n: number) => {
      while (sent < n) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await waitForSent(60);
    await postgres.restart();
    const atRestart = sent;
    await waitForSent(atRestart + 60);
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(await Promise.all(replicas.map((r) => r.stop())), [0, 0, 0]);
    const acknowledged = counts.get(200) ?? 0;
    const rows = await usageCalls(cli);
    t.diagnostic(`${acknowledged} acknowledged, ${rows} usage rows, statuses ${JSON.stringify([...counts])}`);
    assert.equal(rows, acknowledged);
    assert.ok(acknowledged >= 120, `${acknowledged} acknowledged`);
  });

  test("Redis restarted mid-load: no crash; fail closed answers 503 with Retry-After, fail open keeps answering; both recover by themselves", async (t) => {
    const { env, key } = await deployment();
    const { token } = await key(["--rpm", "100000"]);
    const closed = await Promise.all([serve(env), serve(env)]);
    const open = await serve({ ...env, LLMUX_REDIS_FAIL_OPEN: "1" });
    for (const replica of [...closed, open]) assert.equal((await ask(replica, token, 16)).status, 200);

    await redis.stop();
    // Each closed replica answers 503 once its client has noticed (a request or two may race it).
    const outage: { status: number; retryAfter: string | null }[] = [];
    for (const replica of closed) {
      let refused = 0;
      for (let tries = 0; tries < 100 && refused < 5; tries++) {
        const answer = await ask(replica, token, 16);
        outage.push(answer);
        if (answer.status === 503) refused++;
      }
      assert.equal(refused, 5);
    }
    for (const answer of outage) {
      if (answer.status === 503) assert.equal(answer.retryAfter, "2");
      else assert.equal(answer.status, 200);
    }
    const openAnswers = await Promise.all(Array.from({ length: 10 }, () => ask(open, token, 16)));
    assert.deepEqual(new Set(openAnswers.map((a) => a.status)), new Set([200]), "fail open: still answering");
    const keyless = await ask(closed[0]!, undefined, 16);
    assert.equal(keyless.status, 401, "keys are still checked (they come from PostgreSQL)");

    await redis.restart();
    for (const replica of [...closed, open]) {
      let status = 0;
      for (let tries = 0; tries < 300 && status !== 200; tries++) {
        status = (await ask(replica, token, 16)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(status, 200, "recovered by itself");
    }
    t.diagnostic(
      `during the outage: ${JSON.stringify([...countBy(outage.map((a) => a.status))])} on the closed replicas`,
    );
    for (const replica of [...closed, open]) {
      assert.equal(replica.child.exitCode, null, "still running");
      // The fail-open replica answered throughout: its reconnection (with backoff) may come later.
      for (let tries = 0; tries < 500 && !replica.stderr().includes("is back: rpm limits"); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const lines = replica.stderr().trim().split("\n");
      assert.equal(lines.filter((line) => line.includes("lost Redis")).length, 1, replica.stderr());
      assert.equal(lines.filter((line) => line.includes("is back: rpm limits")).length, 1);
    }
    assert.deepEqual(await Promise.all([...closed, open].map((r) => r.stop())), [0, 0, 0]);
  });
});

describe("replicas without Redis", () => {
  test("a second gateway on the same PostgreSQL says at start, once, that limits are per replica", async () => {
    const { env } = await deployment({ redis: false });
    const first = await serve(env);
    const second = await serve(env);
    // Its look at pg_stat_activity runs as it starts: wait for the line rather than for a time.
    for (let tries = 0; tries < 200 && !second.stderr().includes("per replica"); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(second.stderr().match(/counted per replica/g)?.length, 1, second.stderr());
    assert.match(second.stderr(), /set LLMUX_REDIS_URL to share them/);
    assert.deepEqual(await Promise.all([first.stop(), second.stop()]), [0, 0]);
  });
});

test("a Redis URL that is not redis:// stops llmux serve at start: exit 3, one line, no password", async () => {
  const run = await runCli(["serve", "--port", "0"], {
    env: { LLMUX_REDIS_URL: "http://:s3cret-redis-pass@127.0.0.1:6379" },
  });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /The Redis URL http:\/\/:\*\*\*@127\.0\.0\.1:6379\/ is not a redis:\/\/ URL/);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /s3cret/);
});
