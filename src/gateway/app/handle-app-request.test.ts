import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type Database from "better-sqlite3";
import { loadConfig } from "../../core/load-config.ts";
import { openDatabase } from "../../store/open-database.ts";
import { openStore } from "../../store/open-store.ts";
import type { Store } from "../../store/store.ts";
import type { UsageRow } from "../../store/usage-log.ts";
import { createKeyGuard } from "../server/create-key-guard.ts";
import type { AppContext } from "./app-context.ts";
import { handleAppRequest } from "./handle-app-request.ts";

let home: string;
let db: Database.Database;
let store: Store;
let server: Server;
let base: string;
let context: AppContext;
const usage: UsageRow[] = [];

before(async () => {
  home = mkdtempSync(join(tmpdir(), "llmux-app-"));
  const webRoot = join(home, "web");
  mkdirSync(join(webRoot, "assets"), { recursive: true });
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>llmux</title>");
  writeFileSync(join(webRoot, "assets", "index-abc.js"), "console.log(1)");
  writeFileSync(join(home, "secret.txt"), "do not serve");
  const config = loadConfig({
    cwd: home,
    env: { LLMUX_HOME: home, LLMUX_MODEL: "openai:gpt-4.1-nano", OPENAI_API_KEY: "sk-test-app-key-123456" },
  });
  db = openDatabase(config.paths.database);
  store = await openStore(config);
  context = {
    config,
    keys: await createKeyGuard(store.keys),
    recordUsage: (row) => usage.push(row),
    database: db,
    conversations: store.conversations,
    allowPrivateAddresses: false,
    webRoot,
  };
  server = createServer((req, res) => {
    handleAppRequest(req, res, context).then((handled) => {
      if (!handled) res.writeHead(418).end("not mine");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  context.keys.close();
  await store.close();
  db.close();
  rmSync(home, { recursive: true, force: true });
});

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("static files", () => {
  test("/ is the page, revalidated, under a strict content security policy", async () => {
    // As browsers ask for it; other clients get Ollama's "Ollama is running" (test/dialect-ollama.test.ts).
    const response = await fetch(`${base}/`, { headers: { accept: "text/html,*/*;q=0.8" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /img-src 'self' data:/);
    assert.equal(await response.text(), "<!doctype html><title>llmux</title>");
  });

  test("hashed assets are cached for good; paths outside assets/ are not served", async () => {
    const asset = await fetch(`${base}/assets/index-abc.js`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    for (const path of [
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/assets/missing.js",
      "/other",
    ]) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 418, path);
    }
  });
});

describe("/app/api/models", () => {
  test("lists the models in groups, saying which are ready, and the default", async () => {
    const response = await fetch(`${base}/app/api/models`);
    assert.equal(response.status, 200);
    const list = (await response.json()) as {
      defaultModel: string;
      groups: {
        category: string;
        label: string;
        models: {
          reference: string;
          ready: boolean;
          reason: string | null;
          contextWindow: number;
          pricing: unknown;
        }[];
      }[];
    };
    assert.equal(list.defaultModel, "openai:gpt-4.1-nano");
    assert.deepEqual(
      list.groups.map((g) => g.category),
      ["frontier", "managed", "server", "local"],
    );
    const all = list.groups.flatMap((g) => g.models);
    const nano = all.find((m) => m.reference === "openai:gpt-4.1-nano");
    assert.ok(nano);
    assert.equal(nano.ready, true);
    assert.equal(nano.contextWindow, 1047576);
    assert.deepEqual(nano.pricing, { inputPerMTok: 0.1, outputPerMTok: 0.4 });
    assert.equal(all.find((m) => m.reference.startsWith("anthropic:"))?.reason, "no key");
    assert.ok(
      list.groups
        .find((g) => g.category === "local")
        ?.models.some((m) => m.reference === "local:llama3.2:1b"),
    );
    assert.ok(
      all.every((m) => !m.reference.includes("embedding")),
      "no embedding models in a chat picker",
    );
  });
});

describe("/app/api/conversations", () => {
  const message = { role: "user", content: "How do tides work?" };

  test("create, get, list, search, rename, replace messages and delete", async () => {
    const created = await fetch(
      `${base}/app/api/conversations`,
      json("POST", { title: "Tides", messages: [message] }),
    );
    assert.equal(created.status, 201);
    const conversation = (await created.json()) as { id: string; messages: unknown[]; messageCount: number };
    assert.equal(conversation.messageCount, 1);
    assert.deepEqual(conversation.messages, [
      {
        ...message,
        model: null,
        inputTokens: null,
        outputTokens: null,
        costUsd: null,
        latencyMs: null,
        timeToFirstTokenMs: null,
        outcome: null,
      },
    ]);
    const url = `${base}/app/api/conversations/${conversation.id}`;

    const found = (await (await fetch(`${base}/app/api/conversations?q=TIDES`)).json()) as {
      conversations: { id: string }[];
    };
    assert.deepEqual(
      found.conversations.map((c) => c.id),
      [conversation.id],
    );
    const none = (await (await fetch(`${base}/app/api/conversations?q=volcano`)).json()) as {
      conversations: unknown[];
    };
    assert.deepEqual(none.conversations, []);

    const reply = {
      role: "assistant",
      content: "The moon.",
      model: "openai:gpt-4.1-nano",
      inputTokens: 5,
      outputTokens: 3,
      costUsd: 0.0000017,
      latencyMs: 300,
      timeToFirstTokenMs: 80,
      outcome: "ok",
    };
    const patched = await fetch(url, json("PATCH", { title: "Moon and tides", messages: [message, reply] }));
    assert.equal(patched.status, 200);
    const again = (await (await fetch(url)).json()) as {
      title: string;
      messages: { content: string; costUsd: number | null }[];
    };
    assert.equal(again.title, "Moon and tides");
    assert.deepEqual(
      again.messages.map((m) => m.content),
      ["How do tides work?", "The moon."],
    );
    assert.equal(again.messages[1]!.costUsd, 0.0000017);

    assert.equal((await fetch(url, { method: "DELETE" })).status, 204);
    assert.equal((await fetch(url)).status, 404);
    assert.equal((await fetch(url, { method: "DELETE" })).status, 404);
  });

  test("a body that is not a valid conversation is a 400 naming the field", async () => {
    const response = await fetch(
      `${base}/app/api/conversations`,
      json("POST", { messages: [{ role: "system", content: "x" }] }),
    );
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string; param: string } };
    assert.equal(body.error.param, "messages.0.role");
    assert.match(body.error.message, /^Invalid conversation: messages\.0\.role/);
  });
});

describe("/app/api/summarize", () => {
  test("only http(s) URLs: a file path or another scheme is a 400, nothing is read", async () => {
    for (const url of ["/etc/passwd", "file:///etc/passwd", "-", "ftp://example.com/x", 42]) {
      const response = await fetch(`${base}/app/api/summarize`, json("POST", { url }));
      assert.equal(response.status, 400, String(url));
      assert.equal(((await response.json()) as { error: { param: string } }).error.param, "url");
    }
  });

  test("a loopback page is refused unless the server allows private addresses", async () => {
    const response = await fetch(`${base}/app/api/summarize`, json("POST", { url: `${base}/` }));
    assert.equal(response.status, 403, "refused before any stream starts");
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, "blocked_address");
    assert.doesNotMatch(error.message, /--allow-private/, "no CLI flag for an HTTP client");
  });
});

test("once a gateway key exists the API needs it, while the page still loads to ask for it", async () => {
  const { token } = await store.keys.create({ name: "web" });
  await context.keys.reload();
  assert.equal((await fetch(`${base}/`)).status, 200);
  const refused = await fetch(`${base}/app/api/conversations`);
  assert.equal(refused.status, 401);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "missing_api_key");
  const wrong = await fetch(`${base}/app/api/models`, { headers: { authorization: "Bearer llmux_wrong" } });
  assert.equal(wrong.status, 401);
  const allowed = await fetch(`${base}/app/api/conversations`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(allowed.status, 200);
});
