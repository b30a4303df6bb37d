// Pools through the real gateway on loopback: three controllable OpenAI-compatible upstreams
// behind one model name, requests counted where they land.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/core/load-config.ts";
import type { VerboseHealth } from "../src/gateway/server/create-status-routes.ts";
import { startGateway } from "../src/gateway/start-gateway.ts";
import { gatewayTestServers, homeWithKeys, postRaw, type TestGateway } from "./gateway-support.ts";
import {
  type ControllableOpenAIServer,
  startControllableOpenAIServer,
} from "./servers/start-controllable-openai-server.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { runCli } from "./support/run-cli.ts";
import { startRedis } from "./support/start-redis.ts";

const servers = gatewayTestServers();

async function upstreams(latencies: number[]): Promise<ControllableOpenAIServer[]> {
  return Promise.all(
    latencies.map(async (latencyMs) => servers.keep(await startControllableOpenAIServer({ latencyMs }))),
  );
}

/** Each upstream as endpoint up0, up1...; the pool "pooled" over their model "m". */
function poolConfig(ups: ControllableOpenAIServer[], pool: Record<string, unknown> = {}, weights?: number[]) {
  return {
    endpoints: Object.fromEntries(ups.map((up, i) => [`up${i}`, { baseURL: `${up.url}/v1` }])),
    gateway: {
      pools: {
        pooled: {
          deployments: ups.map((_, i) => ({ model: `up${i}:m`, ...(weights && { weight: weights[i] }) })),
          ...pool,
        },
      },
    },
  };
}

async function startPoolGateway(
  config: Record<string, unknown>,
  env: Record<string, string> = {},
  home?: string,
) {
  return servers.gateway(env, config, { home });
}

/** `total` chat requests to `model`, `concurrency` at a time; resolves with each one's outcome. */
async function load(
  gateway: TestGateway,
  total: number,
  concurrency: number,
  body: Record<string, unknown> = {},
  onEach?: (done: number) => void,
): Promise<{ ok: number; failed: string[] }> {
  const client = gateway.client();
  let next = 0;
  let ok = 0;
  const failed: string[] = [];
  const worker = async () => {
    while (next < total) {
      next++;
      try {
        const answer = await client.chat.completions.create({
          model: "pooled",
          messages: [{ role: "user", content: "hi" }],
          ...body,
        });
        assert.match(answer.choices[0]?.message.content ?? "", /^served by \d+$/);
        ok++;
      } catch (error) {
        failed.push((error as Error).message);
      }
      onEach?.(ok + failed.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, failed };
}

async function verbose(gateway: TestGateway, key?: string): Promise<VerboseHealth> {
  const response = await fetch(`${gateway.gateway.url}/healthz?verbose`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  assert.equal(response.status, 200);
  return (await response.json()) as VerboseHealth;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("routing", () => {
  test("least outstanding (the default) spreads 1,000 requests within 10% of even over equal upstreams", async () => {
    const ups = await upstreams([3, 3, 3]);
    const gateway = await startPoolGateway(poolConfig(ups));
    const result = await load(gateway, 1000, 20);
    assert.deepEqual(result.failed, []);
    const counts = ups.map((up) => up.answered);
    assert.equal(
      counts.reduce((a, b) => a + b),
      1000,
    );
    for (const count of counts) assert.ok(Math.abs(count - 1000 / 3) <= 1000 / 3 / 10, `uneven: ${counts}`);
  });

  for (const strategy of ["least-outstanding", "lowest-latency"]) {
    test(`${strategy} favours the fast upstreams when one is slow`, async () => {
      const ups = await upstreams([40, 2, 2]);
      const gateway = await startPoolGateway(poolConfig(ups, { strategy }));
      const result = await load(gateway, 300, 10);
      assert.deepEqual(result.failed, []);
      const [slow, ...fast] = ups.map((up) => up.answered) as [number, number, number];
      for (const count of fast) assert.ok(count > 2 * slow, `slow ${slow}, fast ${fast}`);
      assert.ok(slow < 300 * 0.2, `the slow one took ${slow} of 300`);
    });
  }

  test("weighted random honours the weights", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(poolConfig(ups, { strategy: "weighted-random" }, [1, 1, 2]));
    const result = await load(gateway, 600, 10);
    assert.deepEqual(result.failed, []);
    const [a, b, heavy] = ups.map((up) => up.answered) as [number, number, number];
    // Expected 150, 150, 300.
    assert.ok(heavy > 220 && heavy < 380, `heavy ${heavy}`);
    for (const light of [a, b]) assert.ok(light > 80 && light < 220, `light ${light}`);
  });

  test("sticky by user: one user stays on one deployment, different users spread", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(poolConfig(ups, { sticky: "user" }));
    const before = ups.map((up) => up.answered);
    assert.deepEqual((await load(gateway, 30, 5, { user: "alice" })).failed, []);
    const deltas = ups.map((up, i) => up.answered - before[i]!);
    assert.deepEqual(
      deltas.filter((d) => d > 0),
      [30],
      `alice's requests went to ${deltas}`,
    );
    const client = gateway.client();
    for (let i = 0; i < 30; i++) {
      await client.chat.completions.create({
        model: "pooled",
        messages: [{ role: "user", content: "hi" }],
        user: `u${i}`,
      });
    }
    assert.ok(
      ups.filter((up, i) => up.answered - before[i]! - deltas[i]! > 0).length >= 2,
      "30 users all on one",
    );
  });

  test("sticky by conversation: the x-llmux-session header keeps a conversation on one deployment", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(poolConfig(ups, { sticky: "conversation" }));
    const named = new Set<string | null>();
    for (let i = 0; i < 20; i++) {
      const { status, headers } = await postRaw(
        gateway.gateway,
        "/v1/chat/completions",
        { model: "pooled", messages: [{ role: "user", content: "hi" }] },
        { "x-llmux-session": "conversation-42" },
      );
      assert.equal(status, 200);
      named.add(headers.get("x-llmux-model"));
    }
    const counts = ups.map((up) => up.answered);
    assert.deepEqual(
      counts.filter((n) => n > 0),
      [20],
    );
    // The answers name the deployment that gave them.
    assert.deepEqual([...named], [`up${counts.indexOf(20)}:m`]);
  });

  test("sticky by conversation follows the ids coding agents send: prompt_cache_key, Claude Code's and Codex's session headers", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(poolConfig(ups, { sticky: "conversation" }));
    const hi = [{ role: "user", content: "hi" }];
    const conversations: { path: string; body: object; headers?: Record<string, string> }[] = [
      // Chat completions and Responses (Codex) carry OpenAI's prompt_cache_key in the body.
      { path: "/v1/chat/completions", body: { model: "pooled", messages: hi, prompt_cache_key: "conv-a" } },
      { path: "/v1/responses", body: { model: "pooled", input: "hi", prompt_cache_key: "conv-b" } },
      {
        path: "/v1/messages",
        body: { model: "pooled", max_tokens: 16, messages: hi },
        headers: { "x-claude-code-session-id": "conv-c" },
      },
      { path: "/v1/responses", body: { model: "pooled", input: "hi" }, headers: { session_id: "conv-d" } },
      { path: "/v1/responses", body: { model: "pooled", input: "hi" }, headers: { "session-id": "conv-e" } },
    ];
    for (const { path, body, headers } of conversations) {
      const before = ups.map((up) => up.answered);
      for (let i = 0; i < 12; i++)
        assert.equal((await postRaw(gateway.gateway, path, body, headers)).status, 200);
      const deltas = ups.map((up, i) => up.answered - before[i]!);
      assert.deepEqual(
        deltas.filter((d) => d > 0),
        [12],
        `${JSON.stringify(headers ?? body)} went to ${deltas}`,
      );
    }
  });

  test("a streamed request, an Anthropic Messages request and an Ollama chat go through a pool", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(poolConfig(ups));
    const stream = await gateway.client().chat.completions.create({
      model: "pooled",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    assert.match(text, /^served by \d+ $/);
    const messages = await postRaw(gateway.gateway, "/v1/messages", {
      model: "pooled",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(messages.status, 200, messages.text);
    assert.match(
      (JSON.parse(messages.text) as { content: { text: string }[] }).content[0]!.text,
      /^served by/,
    );
    const ollama = await postRaw(gateway.gateway, "/api/chat", {
      model: "pooled",
      stream: false,
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(ollama.status, 200, ollama.text);
    assert.match((JSON.parse(ollama.text) as { message: { content: string } }).message.content, /^served by/);
    assert.equal(
      ups.reduce((sum, up) => sum + up.answered, 0),
      3,
    );
    const listed = await gateway.client().models.list();
    assert.deepEqual(
      listed.data.filter((m) => m.id === "pooled").map((m) => m.owned_by),
      ["pool"],
    );
    const tags = (await (await fetch(`${gateway.gateway.url}/api/tags`)).json()) as {
      models: { name: string }[];
    };
    assert.ok(tags.models.some((m) => m.name === "pooled"));
  });
});

describe("health", () => {
  test("an upstream killed mid-load is ejected with no failed request; it rejoins once it is back (health check)", async () => {
    const ups = await upstreams([5, 5, 5]);
    const gateway = await startPoolGateway(
      poolConfig(ups, { cooldownMs: 5000, healthCheck: { intervalMs: 200, timeoutMs: 500 } }),
    );
    const victim = ups[0]!;
    let killedAt: number | undefined;
    const result = await load(gateway, 600, 20, {}, (done) => {
      if (done === 150 && killedAt === undefined) {
        killedAt = victim.answered;
        void victim.down();
      }
    });
    assert.deepEqual(result.failed, [], "a client request failed");
    assert.equal(result.ok, 600);
    // Its share went to the others: nothing more answered by it.
    assert.equal(victim.answered, killedAt);
    assert.equal(ups[1]!.answered + ups[2]!.answered, 600 - killedAt!);
    const seen = (await verbose(gateway)).pools.pooled!;
    const dead = seen.deployments.find((d) => d.model === "up0:m")!;
    assert.equal(dead.healthy, false);
    assert.ok(dead.ejectedUntil !== null && Date.parse(dead.ejectedUntil) > Date.now());
    assert.ok(seen.deployments.filter((d) => d.healthy).length === 2);

    await victim.up();
    // The health check (every 200 ms) brings it back long before its 5 s cool-down ends.
    await waitFor(
      "the health check to bring it back",
      async () => {
        return (await verbose(gateway)).pools.pooled!.deployments.every((d) => d.healthy);
      },
      4000,
    );
    const before = victim.answered;
    assert.deepEqual((await load(gateway, 300, 10)).failed, []);
    assert.ok(victim.answered - before > 60, `it got ${victim.answered - before} of 300 after rejoining`);
  });

  test("without health checks, an ejected upstream gets traffic again after its cool-down", async () => {
    const ups = await upstreams([0, 0, 0]);
    const gateway = await startPoolGateway(
      // A cool-down long enough that a loaded machine's slow requests do not outlast it.
      poolConfig(ups, { ejectAfterFailures: 2, cooldownMs: 2000, healthCheck: false }),
    );
    const victim = ups[1]!;
    victim.failure = "500";
    assert.deepEqual((await load(gateway, 60, 3)).failed, []);
    const dead = (await verbose(gateway)).pools.pooled!.deployments[1]!;
    assert.equal(dead.healthy, false);
    assert.ok(dead.failures >= 2);
    const metrics = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
    assert.match(metrics, /^llmux_gateway_pool_deployment_healthy\{pool="pooled",deployment="up1:m"\} 0$/m);
    assert.match(metrics, /^llmux_gateway_pool_deployment_healthy\{pool="pooled",deployment="up0:m"\} 1$/m);
    const received = victim.received;
    assert.deepEqual((await load(gateway, 30, 3)).failed, []);
    assert.equal(victim.received, received, "an ejected deployment got requests during its cool-down");
    victim.failure = "none";
    await sleep(2100);
    assert.deepEqual((await load(gateway, 60, 3)).failed, []);
    assert.ok(victim.answered > 5, `it answered ${victim.answered} after its cool-down`);
    assert.equal((await verbose(gateway)).pools.pooled!.deployments[1]!.healthy, true);
  });

  test("a deployment that times out is retried elsewhere at once and ejected", async () => {
    const ups = await upstreams([3000, 0, 0]);
    const config = poolConfig(ups, { ejectAfterFailures: 2, healthCheck: false });
    const gateway = await startPoolGateway({
      ...config,
      gateway: { ...config.gateway, timeouts: { "up0:m": 100 } },
    });
    const started = performance.now();
    // One at a time: equal deployments take turns, so the slow one is tried again and again.
    assert.deepEqual((await load(gateway, 12, 1)).failed, []);
    // Waiting for the slow answer would take 3 s; the bound leaves room for a loaded machine.
    assert.ok(performance.now() - started < 2500, "a request waited for the slow deployment's answer");
    const slow = (await verbose(gateway)).pools.pooled!.deployments[0]!;
    assert.equal(slow.healthy, false);
    assert.equal(slow.failures, 2);
    assert.equal(ups[0]!.answered, 0);
  });

  test("when every deployment fails, the fallbacks answer; when all are ejected, the request still tries one", async () => {
    const ups = await upstreams([0, 0, 0]);
    const backup = servers.keep(await startControllableOpenAIServer());
    const config = poolConfig(ups, { ejectAfterFailures: 1, cooldownMs: 60_000, healthCheck: false });
    const gateway = await startPoolGateway({
      ...config,
      endpoints: { ...config.endpoints, backup: { baseURL: `${backup.url}/v1` } },
      gateway: { ...config.gateway, fallbacks: { pooled: ["backup:m"] } },
    });
    for (const up of ups) up.failure = "reset";
    assert.deepEqual((await load(gateway, 1, 1)).failed, []);
    assert.deepEqual(
      ups.map((up) => up.received),
      [1, 1, 1],
    );
    assert.equal(backup.answered, 1);
    assert.equal((await verbose(gateway)).status, "degraded");
    // Nothing in it answers now: not offered in the model list.
    const listed = await gateway.client().models.list();
    assert.ok(!listed.data.some((m) => m.id === "pooled"));
    // All three ejected: the next request still goes to one of them, the first whose cool-down ends.
    const ends = (await verbose(gateway)).pools.pooled!.deployments.map((d) => Date.parse(d.ejectedUntil!));
    const first = ends.flatMap((end, i) => (end === Math.min(...ends) ? [new URL(ups[i]!.url).port] : []));
    for (const up of ups) up.failure = "none";
    const answer = await gateway.client().chat.completions.create({
      model: "pooled",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.ok(first.includes(answer.choices[0]!.message.content!.replace("served by ", "")));
    assert.equal(backup.answered, 1);
  });
});

describe("limits", () => {
  test("maxConcurrent: a full deployment gets no more; when all are full the request is a 503 busy", async () => {
    const ups = await upstreams([300, 300, 300]);
    const config = poolConfig(ups);
    config.gateway.pools.pooled.deployments = config.gateway.pools.pooled.deployments.map((d) => ({
      ...d,
      maxConcurrent: 1,
    }));
    const gateway = await startPoolGateway(config);
    const ask = () =>
      postRaw(gateway.gateway, "/v1/chat/completions", {
        model: "pooled",
        messages: [{ role: "user", content: "hi" }],
      });
    const first = [ask(), ask(), ask()];
    await waitFor("three requests in flight", () => ups.every((up) => up.received === 1));
    const refused = await ask();
    assert.equal(refused.status, 503);
    assert.match(refused.text, /Every deployment of pool \\"pooled\\" is at its maxConcurrent/);
    assert.ok(refused.headers.get("retry-after"));
    for (const answer of await Promise.all(first)) assert.equal(answer.status, 200);
    assert.deepEqual(
      ups.map((up) => up.answered),
      [1, 1, 1],
    );
  });
});

describe("/healthz?verbose and llmux pools", () => {
  test("plain /healthz stays open; ?verbose needs a key once keys exist; the CLI prints the table", async () => {
    const ups = await upstreams([0, 0, 0]);
    const { home, created } = homeWithKeys("llmux-pools-", [{ name: "ops" }]);
    const gateway = await startPoolGateway(
      poolConfig(ups, { ejectAfterFailures: 1, healthCheck: false }),
      {},
      home,
    );
    const token = created[0].token;
    const plain = await fetch(`${gateway.gateway.url}/healthz`);
    assert.equal(plain.status, 200);
    assert.equal(await plain.text(), '{"status":"ok"}');
    const refused = await fetch(`${gateway.gateway.url}/healthz?verbose`);
    assert.equal(refused.status, 401);
    const error = (await refused.json()) as { error: { message: string; type: string } };
    assert.equal(typeof error.error.message, "string");
    assert.equal(error.error.type, "invalid_request_error");
    await gateway
      .client(token)
      .chat.completions.create({ model: "pooled", messages: [{ role: "user", content: "hi" }] });
    const seen = await verbose(gateway, token);
    assert.equal(seen.status, "ok");
    assert.equal(seen.pools.pooled!.strategy, "least-outstanding");
    assert.deepEqual(
      seen.pools.pooled!.deployments.map((d) => d.model),
      ["up0:m", "up1:m", "up2:m"],
    );
    assert.equal(
      seen.pools.pooled!.deployments.reduce((sum, d) => sum + d.requests, 0),
      1,
    );

    const table = await runCli(["pools", "--url", gateway.gateway.url], {
      env: { LLMUX_GATEWAY_KEY: token },
    });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split("\n");
    assert.match(lines[0]!, /^POOL\s+STRATEGY\s+DEPLOYMENT\s+HEALTH/);
    assert.equal(lines.length, 4);
    for (const [i, line] of lines.slice(1).entries())
      assert.match(line, new RegExp(`^pooled\\s+least-outstanding\\s+up${i}:m\\s+ok`));

    const json = await runCli(["pools", "--url", gateway.gateway.url, "--key", token, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      (JSON.parse(json.stdout) as VerboseHealth).pools.pooled!.deployments.map((d) => d.model),
      ["up0:m", "up1:m", "up2:m"],
    );

    ups[2]!.failure = "500";
    await waitFor("up2 to be ejected", async () => {
      await gateway
        .client(token)
        .chat.completions.create({ model: "pooled", messages: [{ role: "user", content: "hi" }] });
      return !(await verbose(gateway, token)).pools.pooled!.deployments[2]!.healthy;
    });
    const ejected = await runCli(["pools", "--url", gateway.gateway.url, "--key", token]);
    assert.match(
      ejected.stdout,
      /^pooled\s+least-outstanding\s+up2:m\s+ejected until \d\d:\d\d:\d\d UTC\s+0\s+(-|\d+ ms)\s+\d+\s+[1-9]\d*\s+1$/m,
    );

    const noKey = await runCli(["pools", "--url", gateway.gateway.url]);
    assert.equal(noKey.code, 5);
    assert.match(noKey.stderr, /needs a gateway key/);
    const wrongKey = await runCli(["pools", "--url", gateway.gateway.url, "--key", "llmux-wrong"]);
    assert.equal(wrongKey.code, 5);
    assert.match(wrongKey.stderr, /refused the key/);
    const nobody = await runCli(["pools", "--url", await closedLoopbackUrl()]);
    assert.equal(nobody.code, 31);
    assert.match(nobody.stderr, /refused the connection.*llmux serve/);
    assert.equal(nobody.stderr.trim().split("\n").length, 1);
  });
});

describe("config", () => {
  const load = (pools: unknown, endpoints: unknown = {}) => {
    const home = makeTempDir("llmux-pools-config-");
    writeFileSync(join(home, "config.json"), JSON.stringify({ endpoints, gateway: { pools } }));
    return loadConfig({ cwd: home, env: { LLMUX_HOME: home } });
  };

  test("a pool needs a deployment, and a deployment a model reference: config errors naming the setting", async () => {
    assert.throws(
      () => load({ p: { deployments: [] } }),
      /gateway\.pools\.p\.deployments: a pool needs at least one deployment/,
    );
    assert.throws(
      () => load({ p: { deployments: [{ model: "llama" }] } }),
      /gateway\.pools\.p\.deployments\.0\.model: expected a model reference/,
    );
    assert.throws(
      () => load({ p: { strategy: "fastest", deployments: [{ model: "a:b" }] } }),
      /gateway\.pools\.p\.strategy/,
    );
    const twice = load({
      p: { deployments: [{ model: "openai:gpt-4.1-mini" }, { model: "OpenAI:gpt-4.1-mini" }] },
    });
    await assert.rejects(
      startGateway(twice, { port: 0 }),
      /gateway\.pools\.p\.deployments\.1\.model: openai:gpt-4\.1-mini is in the pool twice/,
    );
    const config = load({ p: { deployments: [{ model: "openai:gpt-4.1-mini" }, { model: "nowhere:m" }] } });
    await assert.rejects(
      startGateway(config, { port: 0 }),
      /gateway\.pools\.p\.deployments\.1\.model: "nowhere" is not a provider or endpoint/,
    );
  });
});

describe("replicas", () => {
  test("an ejection made by one gateway is seen by a second one on the same Redis within a second", async () => {
    const redis = await startRedis();
    servers.keep({ close: () => redis.stop() });
    const ups = await upstreams([0, 0, 0]);
    const config = poolConfig(ups, { ejectAfterFailures: 1, cooldownMs: 30_000, healthCheck: false });
    const env = { LLMUX_REDIS_URL: redis.url };
    const first = await startPoolGateway(config, env);
    const second = await startPoolGateway(config, env);
    ups[2]!.failure = "500";
    await waitFor("the first gateway to eject up2", async () => {
      await load(first, 3, 3);
      return !(await verbose(first)).pools.pooled!.deployments[2]!.healthy;
    });
    const ejectedAt = Date.now();
    await waitFor(
      "the second gateway to see it",
      async () => {
        return !(await verbose(second)).pools.pooled!.deployments[2]!.healthy;
      },
      3000,
    );
    // Refreshed every 500 ms: about a second at most, with room for a loaded machine.
    assert.ok(Date.now() - ejectedAt < 2000, `took ${Date.now() - ejectedAt} ms`);
    const received = ups[2]!.received;
    assert.deepEqual((await load(second, 30, 3)).failed, []);
    assert.equal(ups[2]!.received, received, "the second gateway still sent requests to it");
  });
});
