import { createInterface } from "node:readline/promises";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { isLlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { resolveLocalModelPath } from "../local/resolve-local-model-path.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { CliIo } from "./command.ts";
import { pullWithProgress } from "./pull.ts";

/**
 * Before a command uses a catalog local model (the default, local:llama3.2:1b, above all): if it
 * is not downloaded, a terminal session is asked whether to download it now; anywhere else the
 * resolver's error stands, naming the `llmux pull` command and the alternatives.
 */
export async function ensureLocalModel(
  model: string | undefined,
  config: LlmuxConfig,
  io: CliIo,
): Promise<void> {
  const registry = createProviderRegistry(config);
  const resolved = registry.resolve(registry.defaultModel(model));
  const gguf = resolved.provider === "local" ? findCatalogEntry("local", resolved.modelId)?.gguf : undefined;
  if (!gguf) return;
  try {
    await resolveLocalModelPath(resolved.modelId, {
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    return;
  } catch (error) {
    if (!isLlmuxError(error) || error.kind !== "model_not_found" || !io.stdin.isTTY || !io.stderr.isTTY)
      throw error;
    const size = gguf.sizeBytes === undefined ? "" : ` (${formatBytes(gguf.sizeBytes)})`;
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await rl.question(
      `${resolved.reference} is not downloaded yet. Download it now${size}? [Y/n] `,
    );
    rl.close();
    if (/^\s*(n|no)\s*$/i.test(answer)) throw error;
  }
  await pullWithProgress(resolved.modelId, io, config.paths.models, config.env);
}
