import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";

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
];

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the llmux database: WAL so the gateway can write while the CLI reads,
 * a busy timeout so concurrent writers wait instead of failing, then any pending migrations.
 */
export function openDatabase(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  // `timeout` is SQLite's busy_timeout.
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw toLlmuxError(error, path);
  }
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
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
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
