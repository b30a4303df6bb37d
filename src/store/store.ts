import type { ConversationStore } from "./conversation-store.ts";
import type { KeyStore } from "./create-key-store.ts";
import type { UsageWriter } from "./create-usage-writer.ts";
import type { ResponseStore } from "./response-store.ts";
import type { SqlClient } from "./sql-client.ts";
import type { UsageRow, UsageSummaryRow } from "./usage-log.ts";

/** The usage log: rows recorded through a bounded buffer, and the summary `llmux usage` prints. */
export interface UsageLog extends UsageWriter {
  record(row: UsageRow): void;
  /** Grouped by UTC day, provider and model, oldest day first (rows still buffered not included). */
  query(options?: { since?: Date }): Promise<UsageSummaryRow[]>;
}

/**
 * What llmux keeps: gateway keys, the usage log, the web UI's conversations and stored Responses,
 * in SQLite (one file, the default) or PostgreSQL (shared by gateway replicas). Every call is
 * async, whatever the backend. The summary cache is not here: it stays in each machine's SQLite.
 */
export interface Store {
  readonly backend: "sqlite" | "postgres";
  /** The SQLite file, or the PostgreSQL URL with its password hidden: for messages. */
  readonly location: string;
  readonly keys: KeyStore;
  readonly usage: UsageLog;
  readonly conversations: ConversationStore;
  readonly responses: ResponseStore;
  /** The connection the stores share (for `llmux db copy` and tests). */
  readonly sql: SqlClient;
  /** The schema version the migrations brought it to. */
  schemaVersion(): Promise<number>;
  /** Writes the buffered usage rows (retrying for a while), then closes the connections. */
  close(): Promise<void>;
}
