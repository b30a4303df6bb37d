import { createInterface } from "node:readline/promises";
import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { findMissingCatalogModel } from "../local/find-missing-catalog-model.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { CliIo } from "./command.ts";
import { invokedAs } from "./invoked-as.ts";
import { pullWithProgress } from "./pull.ts";

/**
 * Before a command uses a catalog local model (the default, local:llama3.2:1b, above all): if it
 * is not downloaded, a terminal session is asked whether to download it now; anywhere else, or
 * when the answer is no, it fails naming the pull command as this user runs llmux, and the
 * alternatives. Commands call it before any other work (a summary before fetching its page).
 */
export async function ensureLocalModel(
  model: string | undefined,
  config: LlmuxConfig,
  io: CliIo,
): Promise<void> {
  const registry = createProviderRegistry(config);
  const resolved = registry.resolve(registry.defaultModel(model));
  if (resolved.provider !== "local") return;
  const name = resolved.modelId;
  const missing = await findMissingCatalogModel(name, {
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
  if (!missing) return;
  const notDownloaded = new LlmuxError("model_not_found", `The local model ${name} is not downloaded`, {
    hint: `Download it with \`${invokedAs(config.env)} pull ${name}\`, or use another model: --model ollama:${name} (a running Ollama), or a cloud model such as --model openai:gpt-4.1-mini`,
  });
  if (!io.stdin.isTTY || !io.stderr.isTTY) throw notDownloaded;
  const size = missing.sizeBytes === undefined ? "" : ` (${formatBytes(missing.sizeBytes)})`;
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  const answer = await rl.question(
    `${resolved.reference} is not downloaded yet. Download it now${size}? [Y/n] `,
  );
  rl.close();
  if (/^\s*(n|no)\s*$/i.test(answer)) throw notDownloaded;
  await pullWithProgress(name, io, config.paths.models, config.env);
}
