// Who may see and do what through the real gateway on loopback: conversations per key, one
// requests-per-minute counter for /v1 and /api, /metrics behind a key, the bearer scheme in any case.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import OpenAI from "openai";
import { createGatewayKey, type NewGatewayKey } from "../src/store/gateway-keys.ts";
import { openDatabase } from "../src/store/open-database.ts";
import { OPENAI_KEY, startTestGateway, type TestGateway } from "./gateway-support.ts";
import { startOpenAIServer } from "./servers/index.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

async function keyedGateway(keys: NewGatewayKey[]): Promise<TestGateway & { tokens: string[] }> {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  cleanup.push(() => server.close());
  const home = makeTempDir("llmux-access-");
  const db = openDatabase(join(home, "llmux.db"));
  const tokens = keys.map((key) => createGatewayKey(db, key).token);
  db.close();
  const started = await startTestGateway(
    { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1` },
    {},
    { home },
  );
  cleanup.push(() => started.gateway.close());
  return { ...started, tokens };
}

const as = (token: string, method = "GET", body?: unknown): RequestInit => ({
  method,
  headers: {
    authorization: `Bearer ${token}`,
    ...(body !== undefined && { "content-type": "application/json" }),
  },
  ...(body !== undefined && { body: JSON.stringify(body) }),
});

describe("conversations belong to the key that made them", () => {
  test("another key cannot list, search, read, change or delete them: a 404, as for a missing one", async () => {
    const { gateway, tokens } = await keyedGateway([{ name: "alice" }, { name: "bob" }]);
    const [alice, bob] = tokens as [string, string];
    const api = `${gateway.url}/app/api/conversations`;
    const created = await fetch(
      api,
      as(alice, "POST", { title: "Alice's plans", messages: [{ role: "user", content: "secret" }] }),
    );
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const mine = `${api}/${id}`;

    const list = async (token: string, query = "") =>
      ((await (await fetch(`${api}${query}`, as(token))).json()) as { conversations: { id: string }[] })
        .conversations;
    assert.deepEqual(
      (await list(alice)).map((c) => c.id),
      [id],
    );
    assert.deepEqual(await list(bob), []);
    assert.deepEqual(await list(bob, "?q=secret"), []);

    const missing = await fetch(`${api}/00000000-0000-0000-0000-000000000000`, as(bob));
    const missingBody = await missing.json();
    for (const [method, body] of [["GET"], ["PATCH", { title: "Bob's now" }], ["DELETE"]] as const) {
      const response = await fetch(mine, as(bob, method, body));
      assert.equal(response.status, 404, method);
      const error = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.error.code, (missingBody as { error: { code: string } }).error.code);
      assert.doesNotMatch(error.error.message, /another|owner|belongs/i);
    }

    const still = (await (await fetch(mine, as(alice))).json()) as { title: string; messages: unknown[] };
    assert.equal(still.title, "Alice's plans");
    assert.equal(still.messages.length, 1);
    assert.equal((await fetch(mine, as(alice, "DELETE"))).status, 204);
  });
});

describe("one requests-per-minute counter for /v1 and /app/api", () => {
  test("/app/api requests use up the key's rpm, and /v1 then gets a 429 (and the other way round)", async () => {
    const { gateway, tokens, client } = await keyedGateway([{ rpm: 2 }, { rpm: 1 }]);
    const [two, one] = tokens as [string, string];
    assert.equal((await fetch(`${gateway.url}/app/api/conversations`, as(two))).status, 200);
    assert.equal((await fetch(`${gateway.url}/app/api/models`, as(two))).status, 200);
    const limited = await client(two)
      .chat.completions.create({ model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "Hi" }] })
      .catch((e: unknown) => e);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal(limited.code, "rate_limit_exceeded");

    await client(one).chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "Hi" }],
    });
    const api = await fetch(`${gateway.url}/app/api/conversations`, as(one));
    assert.equal(api.status, 429);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, "rate_limit_exceeded");
  });
});

describe("/metrics", () => {
  test("needs a key once keys exist: 401 in the OpenAI error shape without one or with a wrong one, 200 with one", async () => {
    const { gateway, tokens } = await keyedGateway([{ name: "scraper", models: ["anthropic:*"] }]);
    for (const headers of [{}, { authorization: "Bearer llmux_wrong" }] as Record<string, string>[]) {
      const refused = await fetch(`${gateway.url}/metrics`, { headers });
      assert.equal(refused.status, 401);
      const body = (await refused.json()) as { error: { type: string; code: string; message: string } };
      assert.equal(body.error.type, "invalid_request_error");
      assert.match(body.error.code, /^(missing|invalid)_api_key$/);
    }
    const allowed = await fetch(`${gateway.url}/metrics`, as(tokens[0]!));
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /llmux_gateway_/);
  });

  test("stays open without keys (a gateway on loopback with nobody to tell apart)", async () => {
    const started = await startTestGateway({});
    cleanup.push(() => started.gateway.close());
    assert.equal((await fetch(`${started.gateway.url}/metrics`)).status, 200);
  });
});

describe("the Bearer scheme", () => {
  test("is read in any case and with extra spaces, on /v1 and /api alike", async () => {
    const { gateway, tokens } = await keyedGateway([{ name: "lower" }]);
    const token = tokens[0]!;
    for (const authorization of [`bearer ${token}`, `BEARER   ${token}  `]) {
      const models = await fetch(`${gateway.url}/v1/models`, { headers: { authorization } });
      assert.equal(models.status, 200, authorization);
      const conversations = await fetch(`${gateway.url}/app/api/conversations`, {
        headers: { authorization },
      });
      assert.equal(conversations.status, 200, authorization);
    }
    const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "Hi" }] }),
    });
    assert.equal(chat.status, 200);
  });
});
