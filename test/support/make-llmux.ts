import { createLlmux, type Llmux, type LlmuxOptions } from "../../src/client/create-llmux.ts";
import { loadConfig } from "../../src/core/load-config.ts";
import { makeTempDir } from "./make-temp-dir.ts";

/**
 * An llmux whose only environment is `env` (plus a fresh LLMUX_HOME): tests never see the
 * developer's real keys, config file or usage log.
 */
export function makeLlmux(env: Record<string, string>, options: Omit<LlmuxOptions, "config"> = {}): Llmux {
  const home = makeTempDir("llmux-test-");
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...env } });
  return createLlmux({ ...options, config });
}
