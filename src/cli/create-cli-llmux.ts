import { createLlmux, type Llmux } from "../client/create-llmux.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { openDatabase } from "../store/open-database.ts";
import { recordUsage } from "../store/usage-log.ts";
import type { CliIo } from "./command.ts";

/**
 * The llmux every CLI command uses: each call is appended to the usage log. A log that cannot be
 * opened (read-only home, a newer schema) is reported once and never stops the call itself.
 */
export function createCliLlmux(config: LlmuxConfig, io: CliIo): Llmux {
  let db: ReturnType<typeof openDatabase> | null | undefined;
  return createLlmux({
    config,
    usageSource: "cli",
    onUsage: (row) => {
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
