import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { LlmuxConfig } from "../core/load-config.ts";
import { lazyLanguageModel } from "./lazy-provider.ts";
import type { ProviderDefinition } from "./provider-definition.ts";

/**
 * The embedded engine: GGUF models run in this process by llama.cpp (node-llama-cpp). The engine
 * is imported on first use, so commands that never touch a local model don't pay for loading it.
 */
export const localProvider: ProviderDefinition = {
  id: "local",
  label: "Embedded engine (llama.cpp in-process)",
  category: "local",
  keyEnv: [],
  baseUrlEnv: undefined,
  openaiCompatible: false,
  setup: "nothing: `llmux pull llama3.2:1b` downloads the default model",
  isConfigured: () => true,
  create: (context) => ({
    languageModel: (modelId) =>
      lazyLanguageModel("local", modelId, () => loadLocalModel(modelId, context.config)),
  }),
};

/** The model file behind `local:<modelId>`, on the process-wide engine set up from config. */
export async function loadLocalModel(modelId: string, config: LlmuxConfig): Promise<LanguageModelV3> {
  const [{ resolveLocalModelPath }, { createLocalLanguageModel }, { localEngine }, { chooseThreadCount }] =
    await Promise.all([
      import("../local/resolve-local-model-path.ts"),
      import("../local/create-local-language-model.ts"),
      import("../local/local-engine.ts"),
      import("../local/choose-thread-count.ts"),
    ]);
  const { threads, contextSize, idleUnloadSeconds } = config.file.local;
  localEngine.configure({
    // LLMUX_THREADS beats the config file, as every env var does.
    threads: chooseThreadCount({ threads: config.env.LLMUX_THREADS ? undefined : threads, env: config.env }),
    ...(contextSize !== undefined && { contextSize }),
    ...(idleUnloadSeconds !== undefined && { idleUnloadMs: idleUnloadSeconds * 1000 }),
  });
  const path = await resolveLocalModelPath(modelId, {
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
  return createLocalLanguageModel(path, { modelId });
}
