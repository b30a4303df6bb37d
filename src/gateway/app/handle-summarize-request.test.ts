import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type Database from "better-sqlite3";
import { type ProviderServer, startOpenAIServer } from "../../../test/servers/index.ts";
import { makeTempDir } from "../../../test/support/make-temp-dir.ts";
import { loadConfig } from "../../core/load-config.ts";
import { createGatewayKey } from "../../store/gateway-keys.ts";
import { openDatabase } from "../../store/open-database.ts";
import { openStore } from "../../store/open-store.ts";
import type { Store } from "../../store/store.ts";
import type { UsageRow } from "../../store/usage-log.ts";
import { createKeyGuard, type KeyGuard } from "../server/create-key-guard.ts";
import { handleAppRequest } from "./handle-app-request.ts";

// POST /app/api/summarize on a real HTTP server, a loopback page and a loopback OpenAI server
// replaying a recorded answer: a budgeted key holds the summary's worst case, then pays its cost.
let db: Database.Database;
let store: Store;
let keys: KeyGuard;
let provider: ProviderServer;
let pages: Server;
let app: Server;
let base: string;
let pageUrl: string;
const usage: UsageRow[] = [];

const ARTICLE = `<!doctype html><html><head><title>Tides</title></head><body><article><h1>Tides</h1>${Array.from(
  { length: 12 },
  (_, i) =>
    `<p>Paragraph ${i + 1}: the moon's gravity pulls the oceans into two bulges, and the earth turns beneath them, so most coasts see two high tides and two low tides a day.</p>`,
).join("")}</article></body></html>`;

before(async () => {
  provider = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  pages = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(ARTICLE));
  await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/tides`;
  const home = makeTempDir("llmux-summarize-budget-");
  writeFileSync(
    join(home, "config.json"),
    JSON.stringify({ endpoints: { vllm: { baseURL: `${provider.url}/v1`, models: ["my-model"] } } }),
  );
  const config = loadConfig({
    cwd: home,
    env: {
      LLMUX_HOME: home,
      OPENAI_API_KEY: "sk-test-summarize-123456",
      OPENAI_BASE_URL: `${provider.url}/v1`,
    },
  });
  db = openDatabase(config.paths.database);
  store = await openStore(config);
  keys = await createKeyGuard(store.keys);
  const context = {
    config,
    keys,
    recordUsage: (row: UsageRow) => usage.push(row),
    database: db,
    conversations: store.conversations,
    allowPrivateAddresses: true,
  };
  app = createServer((req, res) => {
    void handleAppRequest(req, res, context);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

after(async () => {
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
  pages.closeAllConnections();
  await new Promise((resolve) => pages.close(resolve));
  await provider.close();
  keys.close();
  await store.close();
  db.close();
});

const summarize = (token: string, model: string) =>
  fetch(`${base}/app/api/summarize`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ url: pageUrl, model }),
  });

test("a budgeted key holds the summary's worst case, then is charged what its calls cost", async () => {
  const { key, token } = createGatewayKey(db, { budgetUsd: 1 });
  await keys.reload();
  const response = await summarize(token, "openai:gpt-4.1");
  assert.equal(response.status, 200);
  const events = await response.text();
  assert.match(events, /event: done/);
  const rows = usage.filter((row) => row.gatewayKeyId === key.id);
  assert.ok(rows.length >= 1);
  const cost = rows.reduce((sum, row) => sum + (row.costUsd ?? 0), 0);
  assert.ok(cost > 0);
  const balance = keys.balance(key.id);
  assert.equal(Math.round(balance.spentUsd * 1e9), Math.round(cost * 1e9));
  assert.equal(balance.reservedUsd, 0, "the hold is released");
});

test("a summary whose worst case does not fit the budget is refused before the stream starts", async () => {
  const { key, token } = createGatewayKey(db, { budgetUsd: 0.0001 });
  await keys.reload();
  const before = provider.requests.length;
  const response = await summarize(token, "openai:gpt-4.1");
  assert.equal(response.status, 429);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, "insufficient_quota");
  assert.equal(provider.requests.length, before, "no model was called");
  assert.deepEqual(keys.balance(key.id), { spentUsd: 0, reservedUsd: 0 });
});

test("a budgeted key cannot summarize with a model that has no price", async () => {
  const { token } = createGatewayKey(db, { budgetUsd: 1 });
  await keys.reload();
  const response = await summarize(token, "vllm:my-model");
  assert.equal(response.status, 400);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, "model_price_unknown");
  assert.match(error.message, /vllm:my-model/);
});

test("a page summarized again comes from the summary cache: one delta, and done says cached, at no cost", async () => {
  const { key, token } = createGatewayKey(db, { budgetUsd: 1 });
  await keys.reload();
  const first = await (await summarize(token, "openai:gpt-4.1-mini")).text();
  assert.match(first, /"cached":false/);
  const calls = provider.requests.length;
  const response = await summarize(token, "openai:gpt-4.1-mini");
  assert.equal(response.status, 200);
  const events = await response.text();
  assert.equal(provider.requests.length, calls, "no model call");
  assert.equal(events.match(/event: delta/g)?.length, 1);
  const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(events)![1]!);
  assert.equal(done.cached, true);
  assert.equal(done.costUsd, 0);
  assert.equal(done.verbatim, false);
  const spent = keys.balance(key.id).spentUsd;
  assert.ok(spent > 0, "the first summary was paid");
  assert.equal(usage.filter((row) => row.gatewayKeyId === key.id).length, 1, "the second made no call");
});

test("a length that is neither a preset nor a number of characters is a 400", async () => {
  const { token } = createGatewayKey(db, {});
  await keys.reload();
  const response = await fetch(`${base}/app/api/summarize`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ url: pageUrl, length: "huge" }),
  });
  assert.equal(response.status, 400);
  const { error } = (await response.json()) as { error: { code: string; param: string; message: string } };
  assert.equal(error.param, "length");
  assert.match(error.message, /^length must be short, medium, long, xl or a number of characters/);
});
