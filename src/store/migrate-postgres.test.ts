import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { closedLoopbackUrl } from "../../test/support/closed-loopback-url.ts";
import { isNewerSchemaError } from "../../test/support/is-newer-schema-error.ts";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { type PostgresServer, startPostgres } from "../../test/support/start-postgres.ts";
import { LlmuxError } from "../core/errors.ts";
import { loadConfig } from "../core/load-config.ts";
import { MIGRATIONS } from "./migrations.ts";
import { openStore } from "./open-store.ts";

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(() => server.stop());

const configFor = (url: string) => {
  const home = makeTempDir("llmux-pg-migrate-");
  return loadConfig({ cwd: home, env: { LLMUX_HOME: home, LLMUX_DATABASE_URL: url } });
};

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

test("a fresh database gets every table and index, and the schema version", async () => {
  const url = await server.createDatabase();
  const store = await openStore(configFor(url));
  try {
    assert.equal(store.backend, "postgres");
    assert.equal(await store.schemaVersion(), MIGRATIONS.length);
    const tables = (
      await query<{ name: string }>(
        url,
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
      )
    ).map((t) => t.name);
    for (const table of ["usage", "gateway_keys", "conversations", "conversation_messages", "responses"]) {
      assert.ok(tables.includes(table), `${table} in ${tables.join(", ")}`);
    }
    const indexes = (await query<{ name: string }>(url, "SELECT indexname AS name FROM pg_indexes")).map(
      (i) => i.name,
    );
    for (const index of ["usage_time", "usage_gateway_key", "conversations_owner", "responses_owner"]) {
      assert.ok(indexes.includes(index), index);
    }
  } finally {
    await store.close();
  }
});

test("replicas starting together apply each migration once", async () => {
  const url = await server.createDatabase();
  const config = configFor(url);
  const stores = await Promise.all(Array.from({ length: 6 }, () => openStore(config)));
  try {
    for (const store of stores) assert.equal(await store.schemaVersion(), MIGRATIONS.length);
    assert.deepEqual(await query(url, "SELECT version FROM llmux_schema_version"), [
      { version: MIGRATIONS.length },
    ]);
    // Opening again applies nothing and keeps the data.
    await stores[0]!.keys.create({ name: "kept" });
    const again = await openStore(config);
    assert.equal((await again.keys.list()).length, 1);
    await again.close();
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

test("a database from a newer llmux is refused with a hint to upgrade, and left as it was", async () => {
  const url = await server.createDatabase();
  const config = configFor(url);
  await (await openStore(config)).close();
  await query(url, "UPDATE llmux_schema_version SET version = 99");
  await assert.rejects(openStore(config), isNewerSchemaError);
  assert.deepEqual(await query(url, "SELECT version FROM llmux_schema_version"), [{ version: 99 }]);
});

test("an unreachable server or a wrong URL is one clear error, without the password", async () => {
  const port = new URL(await closedLoopbackUrl()).port;
  const password = "pg-secret-hunter2";
  const refused = openStore(configFor(`postgres://llmux:${password}@127.0.0.1:${port}/llmux`));
  await assert.rejects(refused, (error: unknown) => {
    assert.ok(error instanceof LlmuxError);
    assert.equal(error.kind, "connection_refused");
    assert.equal(error.exitCode, 31);
    assert.doesNotMatch(`${error.message} ${error.hint}`, new RegExp(password));
    assert.match(error.message, /postgres:\/\/llmux:\*\*\*@127\.0\.0\.1/);
    return true;
  });
  await assert.rejects(
    openStore(configFor(`mysql://llmux:${password}@127.0.0.1/llmux`)),
    (error: unknown) =>
      error instanceof LlmuxError &&
      error.kind === "config" &&
      /not a postgres:\/\/ URL/.test(error.message) &&
      !error.message.includes(password),
  );
  const missing = server.url.replace(/\/llmux$/, "/no_such_db");
  await assert.rejects(
    openStore(configFor(missing)),
    (error: unknown) =>
      error instanceof LlmuxError && error.kind === "config" && /no_such_db/.test(error.message),
  );
});

test("database.url in the config file selects PostgreSQL; LLMUX_DATABASE_URL wins over it; neither is SQLite", async () => {
  const [fromFile, fromEnv] = [await server.createDatabase(), await server.createDatabase()];
  const home = makeTempDir("llmux-pg-config-");
  writeFileSync(join(home, "config.json"), JSON.stringify({ database: { url: fromFile } }));
  const open = (env: Record<string, string>) =>
    openStore(loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...env } }));
  const file = await open({});
  const env = await open({ LLMUX_DATABASE_URL: fromEnv });
  try {
    assert.deepEqual([file.backend, file.location], ["postgres", fromFile]);
    assert.deepEqual([env.backend, env.location], ["postgres", fromEnv]);
  } finally {
    await Promise.all([file.close(), env.close()]);
  }
  const sqliteHome = makeTempDir("llmux-pg-config-");
  const sqlite = await openStore(loadConfig({ cwd: sqliteHome, env: { LLMUX_HOME: sqliteHome } }));
  assert.deepEqual([sqlite.backend, sqlite.location], ["sqlite", join(sqliteHome, "llmux.db")]);
  await sqlite.close();
});
