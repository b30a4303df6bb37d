import { chmodSync, closeSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../core/paths.ts";
import { MIGRATIONS } from "./migrations.ts";
import { newerSchemaError } from "./newer-schema-error.ts";

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
    // In WAL mode NORMAL syncs at checkpoints, not on every commit: a crash of the process loses
    // nothing committed and never corrupts the file; a power cut may roll back the last commits.
    // FULL's fsync per commit was most of the cost of each stored Response (gateway bench).
    db.exec("PRAGMA synchronous = NORMAL");
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
  if (version > MIGRATIONS.length) throw newerSchemaError(path, version, MIGRATIONS.length);
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
