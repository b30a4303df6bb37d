import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, test } from "node:test";
import Database from "better-sqlite3";
import { isNewerSchemaError } from "../../test/support/is-newer-schema-error.ts";
import { LlmuxError } from "../core/errors.ts";
import { openDatabase } from "./open-database.ts";

// The number of migrations in open-database.ts: bump it with each one appended.
const SCHEMA_VERSION = 9;

const dirs: string[] = [];
function tempDbPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmux-open-db-"));
  dirs.push(dir);
  return path.join(dir, "nested", "llmux.db");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const rawConnections: Database.Database[] = [];

test("creates the folder and the usage table, in WAL mode (synced at checkpoints) with foreign keys and a busy timeout", () => {
  const file = tempDbPath();
  const db = openDatabase(file);
  try {
    assert.ok(fs.existsSync(file));
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as object)[0];
    assert.equal(pragma("journal_mode"), "wal");
    assert.equal(pragma("synchronous"), 1, "NORMAL");
    assert.equal(pragma("foreign_keys"), 1);
    assert.ok((pragma("busy_timeout") as number) > 0);
    assert.equal(pragma("user_version"), SCHEMA_VERSION);
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'usage'").get();
    assert.deepEqual(table, { name: "usage" });
  } finally {
    db.close();
  }
});

test("reopening applies nothing twice and keeps the data", () => {
  const file = tempDbPath();
  const first = openDatabase(file);
  first
    .prepare(
      "INSERT INTO usage (time_ms, provider, model, latency_ms, outcome, source) VALUES (0, 'openai', 'gpt-4o', 5, 'ok', 'cli')",
    )
    .run();
  first.close();
  const second = openDatabase(file);
  try {
    assert.deepEqual(second.prepare("PRAGMA user_version").get(), { user_version: SCHEMA_VERSION });
    assert.deepEqual(second.prepare("SELECT COUNT(*) AS n FROM usage").get(), { n: 1 });
  } finally {
    second.close();
  }
});

test("a database from a newer llmux is refused with a hint to upgrade", () => {
  const file = tempDbPath();
  openDatabase(file).close();
  // A second connection, as another llmux would open it (kept referenced: see openDatabase).
  rawConnections.push(new Database(file));
  rawConnections.at(-1)!.exec("PRAGMA user_version = 99");
  rawConnections.at(-1)!.close();
  assert.throws(() => openDatabase(file), isNewerSchemaError);
});

test("a file that is not a SQLite database gives a clear error", () => {
  const file = tempDbPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "this is a text file, not a database\n".repeat(200));
  assert.throws(
    () => openDatabase(file),
    (error: unknown) =>
      error instanceof LlmuxError &&
      error.kind === "config" &&
      error.message.includes(file) &&
      /not an llmux database/.test(error.message),
  );
  // The file the user had is left as it was.
  assert.match(fs.readFileSync(file, "utf8"), /^this is a text file/);
});
