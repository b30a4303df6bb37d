import type Database from "better-sqlite3";
import type { LlmuxConfig } from "../../core/load-config.ts";
import type { ConversationStore } from "../../store/conversation-store.ts";
import type { UsageRow } from "../../store/usage-log.ts";
import type { KeyGuard } from "../server/create-key-guard.ts";

/** What the web app's routes need from the gateway that serves them. */
export interface AppContext {
  config: LlmuxConfig;
  keys: KeyGuard;
  /** Queues a usage row (batched, written off the request path). */
  recordUsage(row: UsageRow): void;
  /** This machine's SQLite database, for the summary cache (local to each machine, whatever the store). */
  database: Database.Database;
  /** The web UI's saved conversations, in the llmux store (SQLite or PostgreSQL). */
  conversations: ConversationStore;
  /**
   * Let /app/api/summarize read pages on loopback and private addresses. The server's own setting,
   * never the request's: otherwise any web page could make the gateway fetch the local network.
   */
  allowPrivateAddresses: boolean;
  /** The built web app (index.html, assets/); default: dist/web of this package. */
  webRoot?: string;
}
