import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlmux, type Llmux, type LlmuxOptions } from "../../src/api/create-llmux.ts";
import { loadConfig } from "../../src/core/load-config.ts";

/**
 * An llmux whose only environment is `env` (plus a fresh LLMUX_HOME): tests never see the
 * developer's real keys, config file or usage log.
 */
export function makeLlmux(env: Record<string, string>, options: Omit<LlmuxOptions, "config"> = {}): Llmux {
  const home = mkdtempSync(join(tmpdir(), "llmux-test-"));
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...env } });
  return createLlmux({ ...options, config });
}
