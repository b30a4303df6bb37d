import { createLlmux, type Llmux } from "../client/create-llmux.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { databaseUrl } from "../store/database-url.ts";
import { openDatabase } from "../store/open-database.ts";
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/store.ts";
import { recordUsage } from "../store/usage-log.ts";
import type { CliIo } from "./command.ts";

/**
 * The llmux every CLI command uses: each call is appended to the usage log. A log that cannot be
 * opened (read-only home, a newer schema) is reported once and never stops the call itself.
 */
export function createCliLlmux(config: LlmuxConfig, io: CliIo): Llmux {
  let db: ReturnType<typeof openDatabase> | null | undefined;
  let store: Promise<Store | null> | undefined;
  const warn = (error: unknown) => {
    io.stderr.write(`llmux: warning: usage not logged: ${(error as Error).message}\n`);
  };
  return createLlmux({
    config,
    usageSource: "cli",
    onUsage: (row) => {
      if (databaseUrl(config) !== undefined) {
        // PostgreSQL: written at once, not buffered (a buffered row would be lost when the command
        // ends); the write in flight keeps the process alive until it is done.
        store ??= openStore(config, { log: () => undefined }).catch((error: unknown) => {
          warn(error);
          return null;
        });
        void store
          .then((opened) => {
            opened?.usage.record(row);
            return opened?.usage.flush();
          })
          .catch(warn);
        return;
      }
      if (db === undefined) {
        try {
          db = openDatabase(config.paths.database);
        } catch (error) {
          db = null;
          io.stderr.write(`llmux: warning: usage not logged: ${(error as Error).message}\n`);
        }
      }
      if (db) recordUsage(db, row);
    },
  });
}
