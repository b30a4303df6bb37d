import { LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { registerSecrets } from "../core/redact-secrets.ts";
import { answerUnreachableAsBusy } from "./answer-unreachable-as-busy.ts";
import { createConversationStore } from "./conversation-store.ts";
import { createKeyStore } from "./create-key-store.ts";
import { createPostgresClient } from "./create-postgres-client.ts";
import { createSqliteClient } from "./create-sqlite-client.ts";
import { createUsageWriter } from "./create-usage-writer.ts";
import { databaseUrl } from "./database-url.ts";
import { migratePostgres } from "./migrate-postgres.ts";
import { MIGRATIONS } from "./migrations.ts";
import { newerSchemaError } from "./newer-schema-error.ts";
import { openDatabase } from "./open-database.ts";
import { redactDatabaseUrl } from "./redact-database-url.ts";
import { createResponseStore } from "./response-store.ts";
import type { SqlClient } from "./sql-client.ts";
import type { Store } from "./store.ts";
import { toDatabaseError } from "./to-database-error.ts";
import { queryUsage } from "./usage-log.ts";

interface OpenStoreOptions {
  /** A PostgreSQL URL instead of the configured store (`llmux db copy --to`). */
  url?: string;
  /** Where the store's events go (usage buffer, dropped connections); default stderr. */
  log?: (line: string) => void;
  /** PostgreSQL's application_name for the store's connections. */
  applicationName?: string;
  /** Usage writer timings, for tests. */
  usage?: { flushMs?: number; retryMs?: number; closeTimeoutMs?: number };
}

// A restarting server cuts every pooled connection: one line per outage is enough.
const IDLE_ERROR_LOG_MS = 10_000;

/**
 * Opens the configured store and brings its schema up to date: PostgreSQL when a URL is given
 * (LLMUX_DATABASE_URL or database.url), else the SQLite file. Errors are LlmuxErrors naming the
 * store without its password.
 */
export async function openStore(config: LlmuxConfig, options: OpenStoreOptions = {}): Promise<Store> {
  const log = options.log ?? ((line: string) => process.stderr.write(`llmux: ${line}\n`));
  const url = options.url ?? databaseUrl(config);
  let sql: SqlClient;
  let location: string;
  let schemaVersion: () => Promise<number>;
  if (url === undefined) {
    const db = openDatabase(config.paths.database);
    sql = createSqliteClient(db);
    location = config.paths.database;
    schemaVersion = async () =>
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  } else {
    location = checkPostgresUrl(url);
    let loggedAt = Number.NEGATIVE_INFINITY;
    sql = createPostgresClient(url, {
      applicationName: options.applicationName,
      onIdleError: (error) => {
        if (performance.now() - loggedAt < IDLE_ERROR_LOG_MS) return;
        loggedAt = performance.now();
        log(`lost a connection to ${location} (${error.message}); reconnecting on next use`);
      },
    });
    const pg = sql;
    try {
      const found = await migratePostgres(pg);
      if (found > MIGRATIONS.length) throw newerSchemaError(location, found, MIGRATIONS.length);
    } catch (error) {
      await pg.close().catch(() => undefined);
      throw toDatabaseError(error, location);
    }
    schemaVersion = async () =>
      (await pg.all<{ version: number }>("SELECT version FROM llmux_schema_version"))[0]?.version ?? 0;
  }
  const writer = createUsageWriter(sql, {
    where: location,
    // SQLite writes on the event loop: small batches keep each pause short. PostgreSQL's run
    // on the server: large ones cost fewer round trips.
    batchRows: url === undefined ? 256 : 5000,
    maxRows: config.file.database.usageBufferRows,
    log,
    ...options.usage,
  });
  let closing: Promise<void> | undefined;
  return {
    backend: url === undefined ? "sqlite" : "postgres",
    location,
    keys: createKeyStore(sql),
    usage: { ...writer, query: (query) => queryUsage(sql, query) },
    conversations: answerUnreachableAsBusy(createConversationStore(sql)),
    responses: answerUnreachableAsBusy(createResponseStore(sql)),
    sql,
    schemaVersion,
    close() {
      closing ??= writer.close().finally(() => sql.close());
      return closing;
    },
  };
}

/** The URL as messages show it; a config error for anything but a postgres:// URL. */
function checkPostgresUrl(url: string): string {
  const shown = redactDatabaseUrl(url);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new LlmuxError("config", `The database URL ${shown} is not a URL`, {
      hint: "Give LLMUX_DATABASE_URL (or database.url) as postgres://USER:PASSWORD@HOST:5432/DATABASE",
    });
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new LlmuxError("config", `The database URL ${shown} is not a postgres:// URL`, {
      hint: "llmux stores in PostgreSQL (postgres://USER:PASSWORD@HOST:5432/DATABASE), or in its SQLite file when no URL is set",
    });
  }
  // Scrubbed from every message llmux shows, whatever carries it.
  registerSecrets([decodeURIComponent(new URL(url).password)]);
  return shown;
}
