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
  embeddings: false,
  setup: "nothing: `llmux pull llama3.2:1b` downloads the default model",
  isConfigured: () => true,
  runsLocally: true,
  countTokens: async (resolved, text, config) => {
    const [{ resolveLocalModelPath }, { tokenize }] = await Promise.all([
      import("../local/resolve-local-model-path.ts"),
      import("../local/tokenize.ts"),
    ]);
    const path = await resolveLocalModelPath(resolved.modelId, {
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    const { ids, pieces, count } = await tokenize(path, text);
    return { tokenizer: ggufVocabulary(resolved.modelId), exact: true, count, ids, pieces };
  },
  modelLimits: async (resolved, config) => {
    // Sets the engine up (threads, context cap) exactly as the calls will, before anything loads,
    // and fails early, with its hint, when the model is missing.
    await loadLocalModel(resolved.modelId, config);
    const [{ resolveLocalModelPath }, { localEngine }] = await Promise.all([
      import("../local/resolve-local-model-path.ts"),
      import("../local/local-engine.ts"),
    ]);
    const path = await resolveLocalModelPath(resolved.modelId, {
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    const lease = await localEngine.useModel(path);
    const { model, contextSize, chatWrapper } = lease.loaded;
    return {
      contextWindow: contextSize,
      // The model's own tokenizer, called directly: src/local's tokenize() also builds every token's
      // text, which costs time quadratic in the length of a long page.
      countTokens: (text) => model.tokenize(text, false).length,
      tokenizer: ggufVocabulary(resolved.modelId),
      providerOptions: undefined,
      capOutput: true,
      systemRole: chatWrapper !== undefined,
      // The engine serves two sequences per model and queues the rest.
      concurrency: 2,
      release: lease.release,
    };
  },
  // On disk, in llmux's store or Ollama's: those answer; a catalog name not there is "not downloaded".
  checkReadiness: async (context) => {
    const [{ listLocalModels }, { resolveLocalModelPath }, { pathExists }] = await Promise.all([
      import("../local/list-local-models.ts"),
      import("../local/resolve-local-model-path.ts"),
      import("../local/path-exists.ts"),
    ]);
    const where = { modelsDir: context.config.paths.models, env: context.config.env as NodeJS.ProcessEnv };
    const installed = await listLocalModels(where);
    return {
      reason: null,
      models: installed
        .filter((m) => !m.problem)
        .map((m) => ({ id: m.name, contextWindow: m.contextLength, weights: "open" })),
      hasModel: async (id) => {
        const known = installed.find((m) => m.name === id);
        if (known) return !known.problem;
        // A path, or a name in Ollama's store written without its tag.
        return resolveLocalModelPath(id, where).then(pathExists, () => false);
      },
    };
  },
  create: (context) => ({
    languageModel: (modelId) =>
      lazyLanguageModel("local", modelId, () => loadLocalModel(modelId, context.config)),
  }),
};

function ggufVocabulary(modelId: string): string {
  return `${modelId} (GGUF vocabulary)`;
}

/** The model file behind `local:<modelId>`, on the process-wide engine set up from config. */
async function loadLocalModel(modelId: string, config: LlmuxConfig): Promise<LanguageModelV3> {
  const [{ resolveLocalModelPath }, { createLocalLanguageModel }, { localEngine }, { chooseThreadCount }] =
    await Promise.all([
      import("../local/resolve-local-model-path.ts"),
      import("../local/create-local-language-model.ts"),
      import("../local/local-engine.ts"),
      import("../local/choose-thread-count.ts"),
    ]);
  const { threads, contextSize, idleUnloadSeconds, maxQueue } = config.file.local;
  localEngine.configure({
    // LLMUX_THREADS beats the config file, as every env var does.
    threads: chooseThreadCount({ threads: config.env.LLMUX_THREADS ? undefined : threads, env: config.env }),
    ...(contextSize !== undefined && { contextSize }),
    ...(idleUnloadSeconds !== undefined && { idleUnloadMs: idleUnloadSeconds * 1000 }),
    ...(maxQueue !== undefined && { maxQueue }),
  });
  const path = await resolveLocalModelPath(modelId, {
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
  return createLocalLanguageModel(path, { modelId });
}
