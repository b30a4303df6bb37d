import type { LlmuxConfig } from "../core/load-config.ts";

/** The PostgreSQL URL llmux is configured with (LLMUX_DATABASE_URL, then database.url), if any. */
export function databaseUrl(config: LlmuxConfig): string | undefined {
  return config.env.LLMUX_DATABASE_URL || config.file.database.url || undefined;
}
