// llmux on PostgreSQL as replicas use it: `llmux keys`, `usage`, `db migrate` and `db copy` as the
// built binary, `llmux serve` answering with a key the CLI created and refusing it within a second
// of its revocation, and two gateways on one database sharing conversations and stored Responses.
// A real PostgreSQL server on loopback; its URL carries a password (trust auth ignores it) that
// must never be printed.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { loadConfig } from "../src/core/load-config.ts";
import { openStore } from "../src/store/open-store.ts";
import { openaiEnv, startTestGateway } from "./gateway-support.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { conversationMessage } from "./support/conversation-message.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { serveBinary } from "./support/serve-binary.ts";
import { type PostgresServer, startPostgres } from "./support/start-postgres.ts";

const PASSWORD = "pg-pass-never-shown-42";
let postgres: PostgresServer;
const servers: ProviderServer[] = [];
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const close of closers.reverse()) await close();
  await Promise.all(servers.map((s) => s.close()));
  await postgres.stop();
});

/** A fresh database's URL, with the password in it. */
async function databaseUrl(): Promise<string> {
  return (await postgres.createDatabase()).replace("//llmux@", `//llmux:${PASSWORD}@`);
}

async function openAI(): Promise<ProviderServer> {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  servers.push(server);
  return server;
}

/** The gateway's or the CLI's environment: the database at `url`, OpenAI at `upstream`. */
const openAIOn = (url: string, upstream: ProviderServer) => ({
  LLMUX_DATABASE_URL: url,
  ...openaiEnv(upstream),
});
const HI = { model: "openai:gpt-4.1-nano", messages: [{ role: "user" as const, content: "Hi" }] };

function assertNoPassword(...texts: string[]): void {
  for (const text of texts) assert.doesNotMatch(text, new RegExp(PASSWORD), "the password was printed");
}

describe("the CLI and `llmux serve` on PostgreSQL", () => {
  test("db migrate, keys create, serve with that key, revoke stops it within a second, SIGTERM writes the usage rows", async () => {
    const url = await databaseUrl();
    const home = makeHome();
    const upstream = await openAI();
    const env = openAIOn(url, upstream);
    const cli = (args: string[]) => runCli(args, { home, env });

    const migrated = await cli(["db", "migrate"]);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(
      migrated.stdout,
      /^postgres:\/\/llmux:\*\*\*@127\.0\.0\.1:\d+\/test_\d+ \(postgres\): schema version \d+\n$/,
    );

    const created = await cli(["keys", "create", "--name", "ci", "--rpm", "100", "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const { id, token } = parseJsonLines<{ id: string; token: string }>(created.stdout)[0]!;

    const { child, url: gatewayUrl, stderr } = await serveBinary(children, env, home);
    const ask = (apiKey: string) =>
      new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey, maxRetries: 0 }).chat.completions.create(HI);
    assert.ok((await ask(token)).choices[0]?.message.content);
    await assert.rejects(ask("llmux_not-a-key-at-all-123456"), OpenAI.AuthenticationError);

    const revoked = await cli(["keys", "revoke", id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const since = performance.now();
    for (;;) {
      const response = await fetch(`${gatewayUrl}/v1/models`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 401) break;
      assert.ok(performance.now() - since < 1000, "still served a second after its revocation");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    assert.equal((await exited)[0], 0, stderr());
    // The CLI's own calls are logged there too.
    const asked = await cli(["ask", "Hi", "--model", "openai:gpt-4.1-nano"]);
    assert.equal(asked.code, 0, asked.stderr);
    const usage = await cli(["usage", "--json"]);
    assert.equal(usage.code, 0, usage.stderr);
    assert.deepEqual(
      parseJsonLines(usage.stdout).map((row) => [row.provider, row.model, row.calls]),
      [["openai", "gpt-4.1-nano", 2]],
      "the gateway's row (written on SIGTERM) and the CLI's reached PostgreSQL",
    );
    const listed = parseJsonLines((await cli(["keys", "list", "--json"])).stdout);
    assert.deepEqual(
      listed.map((key) => [key.id, key.name, key.revokedAt !== null]),
      [[id, "ci", true]],
    );
    assertNoPassword(
      migrated.stdout,
      migrated.stderr,
      created.stderr,
      stderr(),
      asked.stderr,
      usage.stdout,
      usage.stderr,
    );
  });

  test("an unreachable database is one line, exit code 31, without the password", async () => {
    const port = new URL(await closedLoopbackUrl()).port;
    const run = await runCli(["keys", "list"], {
      env: { LLMUX_DATABASE_URL: `postgres://llmux:${PASSWORD}@127.0.0.1:${port}/llmux` },
    });
    assert.equal(run.code, 31);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /PostgreSQL refused the connection at postgres:\/\/llmux:\*\*\*@127\.0\.0\.1/);
    assertNoPassword(run.stdout, run.stderr);
  });

  test("db copy moves keys, usage, conversations and stored Responses from SQLite into an empty database, once", async () => {
    const home = makeHome();
    const sqlite = await openStore(loadConfig({ cwd: home, env: { LLMUX_HOME: home } }));
    const { key, token } = await sqlite.keys.create({ name: "moved", budgetUsd: 5 });
    const usageRow = {
      time: new Date("2026-11-30T10:00:00Z"),
      provider: "openai",
      model: "gpt-4.1",
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: 100,
      outcome: "ok" as const,
      errorKind: null,
      source: "gateway" as const,
    };
    for (const costUsd of [0.5, 0.25, null])
      sqlite.usage.record({ ...usageRow, costUsd, gatewayKeyId: key.id });
    // More than one page of the copy.
    for (let i = 0; i < 12_000; i++) {
      sqlite.usage.record({ ...usageRow, costUsd: null, gatewayKeyId: null, latencyMs: i });
    }
    const conversation = await sqlite.conversations.create(key.id, {
      title: "Moved chat",
      messages: [conversationMessage("user", "Hello")],
    });
    const stored = { input: [{ role: "user", content: "Hi" }], response: { id: "resp_1", output: [] } };
    await sqlite.responses.save(key.id, "resp_1", stored);
    await sqlite.usage.flush();
    const usageBefore = await sqlite.usage.query();
    await sqlite.close();

    const url = await databaseUrl();
    const copied = await runCli(["db", "copy", "--to", url], { home });
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(
      copied.stdout,
      /Copied 1 gateway keys, 12003 usage rows, 1 conversations, 1 conversation messages, 1 stored responses from .*llmux\.db to postgres:\/\/llmux:\*\*\*@/,
    );

    const pg = await openStore(loadConfig({ cwd: home, env: { LLMUX_HOME: home, LLMUX_DATABASE_URL: url } }));
    closers.push(() => pg.close());
    assert.deepEqual(
      (await pg.keys.list()).map((k) => [k.id, k.name, k.budgetUsd, k.prefix]),
      [[key.id, "moved", 5, token.slice(0, 10)]],
    );
    assert.deepEqual(await pg.usage.query(), usageBefore);
    assert.deepEqual(await pg.keys.spend(), new Map([[key.id, 0.75]]));
    assert.deepEqual(await pg.conversations.get(key.id, conversation.id), conversation);
    assert.deepEqual(await pg.responses.get(key.id, "resp_1"), stored);
    // New rows follow the copied ones.
    pg.usage.record({ ...usageRow, gatewayKeyId: null, costUsd: 0 });
    await pg.usage.flush();

    const again = await runCli(["db", "copy", "--to", url], { home });
    assert.equal(again.code, 3);
    assert.match(again.stderr, /is not empty \(it holds 1 gateway keys, 12004 usage rows/);
    assert.equal(again.stderr.trim().split("\n").length, 1, again.stderr);
    assertNoPassword(copied.stdout, copied.stderr, again.stderr);
  });
});

describe("two gateways on one PostgreSQL database", () => {
  test("a conversation saved on one is read and changed on the other; so is a stored Response, and its previous_response_id", async () => {
    const url = await databaseUrl();
    const upstream = await startOpenAIServer([{ fixture: "groq/groq-text" }]);
    servers.push(upstream);
    const env = {
      LLMUX_DATABASE_URL: url,
      GROQ_API_KEY: "gsk-test-key-123456",
      GROQ_BASE_URL: `${upstream.url}/openai/v1`,
    };
    const [one, two] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
    closers.push(
      () => one.gateway.close(),
      () => two.gateway.close(),
    );
    const api = (gateway: typeof one, path = "") => `${gateway.gateway.url}/app/api/conversations${path}`;
    const created = await fetch(api(one), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Shared", messages: [{ role: "user", content: "Hi from one" }] }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const read = (await (await fetch(api(two, `/${id}`))).json()) as { title: string; messages: unknown[] };
    assert.deepEqual([read.title, read.messages.length], ["Shared", 1]);
    const renamed = await fetch(api(two, `/${id}`), {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Renamed on two" }),
    });
    assert.equal(renamed.status, 200);
    const listed = (await (await fetch(api(one, "?q=renamed"))).json()) as {
      conversations: { id: string }[];
    };
    assert.deepEqual(
      listed.conversations.map((c) => c.id),
      [id],
    );

    const GROQ = "groq:llama-3.3-70b-versatile";
    const first = await one.client().responses.create({ model: GROQ, input: "Invent a holiday" });
    const retrieved = await two.client().responses.retrieve(first.id);
    assert.equal(retrieved.output_text, first.output_text);
    const second = await two
      .client()
      .responses.create({ model: GROQ, previous_response_id: first.id, input: "Another" });
    assert.equal(second.previous_response_id, first.id);
    const sent = upstream.requests.at(-1)!.json!.messages as { role: string }[];
    assert.deepEqual(
      sent.map((m) => m.role),
      ["user", "assistant", "user"],
      "the second gateway continued the first one's conversation",
    );
    const metrics = await (await fetch(`${one.gateway.url}/metrics`)).text();
    assert.match(metrics, /^llmux_gateway_usage_buffer_rows \d+$/m);
  });
});

describe("PostgreSQL restarting under load", () => {
  test("the gateway keeps answering, and every answered request has its usage row afterwards", async () => {
    const url = await databaseUrl();
    const upstream = await openAI();
    const { gateway, client } = await startTestGateway(openAIOn(url, upstream));
    let answered = 0;
    let failed = 0;
    let stop = false;
    const load = async () => {
      while (!stop) {
        try {
          await client().chat.completions.create(HI);
          answered++;
        } catch {
          failed++;
        }
      }
    };
    const clients = Array.from({ length: 4 }, load);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postgres.restart();
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(clients);
    await gateway.close();
    const store = await openStore(
      loadConfig({ cwd: makeHome(), env: { LLMUX_HOME: makeHome(), LLMUX_DATABASE_URL: url } }),
    );
    closers.push(() => store.close());
    const calls = (await store.usage.query())[0]?.calls;
    assert.equal(failed, 0);
    assert.ok(answered > 20, `${answered} answered`);
    assert.equal(calls, answered, "one usage row per answered request");
  });

  test("PostgreSQL down for a while: answers go on, the conversation API answers 503 with Retry-After, /metrics shows the buffer; back, the rows land", async () => {
    const url = await databaseUrl();
    const upstream = await openAI();
    const { gateway, client } = await startTestGateway(openAIOn(url, upstream));
    const ask = () => client().chat.completions.create(HI);
    await ask();
    await postgres.stop();
    try {
      for (let i = 0; i < 5; i++) assert.ok((await ask()).choices[0]?.message.content);
      const saved = await fetch(`${gateway.url}/app/api/conversations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "While down" }),
      });
      assert.equal(saved.status, 503);
      assert.equal(saved.headers.get("retry-after"), "1");
      const { error } = (await saved.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, "busy");
      assert.doesNotMatch(
        error.message,
        /127\.0\.0\.1|ECONNREFUSED|postgres/,
        "the database's address stays inside",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      assert.match(metrics, /^llmux_gateway_usage_buffer_rows [1-6]$/m);
    } finally {
      await postgres.restart();
    }
    await gateway.close();
    const store = await openStore(
      loadConfig({ cwd: makeHome(), env: { LLMUX_HOME: makeHome(), LLMUX_DATABASE_URL: url } }),
    );
    closers.push(() => store.close());
    assert.equal((await store.usage.query())[0]?.calls, 6);
  });
});
