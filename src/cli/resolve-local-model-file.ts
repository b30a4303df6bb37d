import { LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { resolveLocalModelPath } from "../local/resolve-local-model-path.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";

/** The GGUF file behind a `local:` reference, for commands that work on the model's tokens. */
export async function resolveLocalModelFile(
  model: string | undefined,
  config: LlmuxConfig,
  command: string,
): Promise<string> {
  const registry = createProviderRegistry(config);
  const resolved = registry.resolve(registry.defaultModel(model));
  if (resolved.provider !== "local") {
    throw new LlmuxError(
      "unsupported",
      `llmux ${command} needs a local model; ${resolved.reference} runs elsewhere`,
      {
        hint: "Give --model local:NAME or local:./file.gguf (`llmux models --local` lists them)",
      },
    );
  }
  return resolveLocalModelPath(resolved.modelId, {
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
}
