import { chmodSync, closeSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../core/paths.ts";

/**
 * Schema changes, oldest first. Entry N (0-based) takes the database from `user_version` N to N+1;
 * append new ones, never edit a released one.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the usage log. No prompt, answer or key column, by design: the log says what was spent,
  // never what was said, and it must be safe to share.
  `CREATE TABLE usage (
    id INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'aborted')),
    error_kind TEXT,
    source TEXT NOT NULL CHECK (source IN ('cli', 'library', 'gateway')),
    gateway_key_id TEXT
  );
  CREATE INDEX usage_time ON usage (time_ms);`,
  // 2: the web UI's saved conversations. Unlike the usage log these hold what was said: they are
  // the user's own chats, kept so they survive a restart of `llmux serve`.
  `CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    model TEXT,
    system TEXT,
    temperature REAL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  CREATE INDEX conversations_updated ON conversations (updated_ms);
  CREATE TABLE conversation_messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    model TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    latency_ms INTEGER,
    ttft_ms INTEGER,
    outcome TEXT CHECK (outcome IN ('ok', 'aborted', 'error')),
    PRIMARY KEY (conversation_id, position)
  ) WITHOUT ROWID;`,
  // 3: gateway keys. Only the SHA-256 of a token is kept (the token is shown once, at creation);
  // `prefix` is its first characters, so people can tell their keys apart.
  `CREATE TABLE gateway_keys (
    id TEXT PRIMARY KEY,
    name TEXT,
    token_sha256 TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    models TEXT,
    rpm INTEGER CHECK (rpm > 0),
    budget_usd REAL CHECK (budget_usd >= 0),
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
  );
  CREATE INDEX usage_gateway_key ON usage (gateway_key_id) WHERE gateway_key_id IS NOT NULL;`,
  // 4: conversations belong to the gateway key that made them ("local user" without keys; the
  // ones saved before owners existed are the local user's), and a usage row says when its
  // counts are the gateway's estimate (a stream cut short before the provider reported usage).
  `ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT 'local user';
  CREATE INDEX conversations_owner ON conversations (owner, updated_ms);
  ALTER TABLE usage ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1));`,
  // 5: finished summaries, keyed on a hash of what they depend on (content, prompt, model,
  // length, language), so the same page is not paid for twice; `used_ms` orders LRU eviction.
  `CREATE TABLE summary_cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    used_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX summary_cache_used ON summary_cache (used_ms);`,
  // 6: the gateway's stored Responses (OpenAI Responses API, `store: true`), for
  // previous_response_id and GET /v1/responses/{id}. Like conversations they hold what was said,
  // and belong to the gateway key that made them.
  `CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    input TEXT NOT NULL,
    response TEXT NOT NULL
  );
  CREATE INDEX responses_owner ON responses (owner, created_ms);`,
];

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the llmux database: WAL so the gateway can write while the CLI reads,
 * a busy timeout so concurrent writers wait instead of failing, then any pending migrations.
 */
export function openDatabase(path: string): Database.Database {
  makePrivateDir(dirname(path));
  makePrivate(path);
  // `timeout` is SQLite's busy_timeout.
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  keepAlive(db);
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw toLlmuxError(error, path);
  }
}

/**
 * The database holds conversations: it, and its -wal and -shm files, are readable by the user
 * only. A new database file is created 0600 before SQLite opens it (SQLite gives the -wal and
 * -shm files the database's mode); existing ones looser than that are tightened on every open.
 */
function makePrivate(path: string): void {
  try {
    closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
  } catch {
    return; // SQLite reports why it cannot open the file, in its own words (toLlmuxError).
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
    } catch {
      // Absent (no -wal yet), or not ours to change: SQLite decides what happens next.
    }
  }
}

/** Every database this process opened; see keepAlive. */
const databases = new Set<Database.Database>();

/**
 * On Node 24, better-sqlite3 12 aborts the process when the garbage collector frees one of its
 * statements or databases at the wrong moment (`RemoveEnvironmentCleanupHook ... (env) !=
 * nullptr`: Node 24's ObjectWrap, which better-sqlite3 before 13 uses; 13 needs Node 22). So none
 * is ever freed: databases stay referenced, each SQL text is prepared once and reused, and
 * pragmas go through exec or the cache, never the garbage-making `db.pragma`.
 */
function keepAlive(db: Database.Database): void {
  databases.add(db);
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
}

function migrate(db: Database.Database, path: string): void {
  checkNotNewer(userVersion(db), path);
  for (;;) {
    // IMMEDIATE takes the write lock first, so two processes opening a fresh file at once
    // cannot both apply the same migration; the loser re-reads the version after waiting.
    const applied = db
      .transaction(() => {
        const version = userVersion(db);
        checkNotNewer(version, path);
        const sql = MIGRATIONS[version];
        if (sql === undefined) return false;
        db.exec(sql);
        db.exec(`PRAGMA user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}

function userVersion(db: Database.Database): number {
  return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
}

function checkNotNewer(version: number, path: string): void {
  if (version > MIGRATIONS.length) {
    throw new LlmuxError(
      "config",
      `The database ${path} was written by a newer llmux (schema version ${version}; this llmux knows up to ${MIGRATIONS.length})`,
      { hint: "Upgrade llmux (npm install -g llmux@latest) to use it" },
    );
  }
}

function toLlmuxError(error: unknown, path: string): unknown {
  if (error instanceof LlmuxError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new LlmuxError("config", `${path} is not an llmux database (not a readable SQLite file)`, {
      hint: "Move the file away, or set LLMUX_HOME to another folder",
      cause: error,
    });
  }
  return new LlmuxError("config", `Could not open the database ${path}: ${(error as Error).message}`, {
    hint: "Check that the folder is writable and the disk is not full",
    cause: error,
  });
}
