import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderDefinition, ProviderInstance } from "./provider-definition.ts";

/**
 * A provider whose AI SDK package is imported on the first call, not when llmux starts: a
 * process that talks to one provider (the CLI, a passthrough-only gateway) loads only that one.
 * The models it hands out are real AI SDK models that forward to the loaded ones.
 */
export function lazyProvider(
  { id, embeddings }: Pick<ProviderDefinition, "id" | "embeddings">,
  load: () => Promise<ProviderInstance>,
): ProviderInstance {
  const instance = once(load);
  return {
    languageModel: (modelId) =>
      lazyLanguageModel(id, modelId, async () => (await instance()).languageModel(modelId)),
    ...(embeddings && {
      embeddingModel: (modelId: string) =>
        lazyEmbeddingModel(id, modelId, async () => (await instance()).embeddingModel!(modelId)),
    }),
  };
}

export function lazyLanguageModel(
  provider: string,
  modelId: string,
  load: () => Promise<LanguageModelV3>,
): LanguageModelV3 {
  const model = once(load);
  return {
    specificationVersion: "v3",
    provider,
    modelId,
    get supportedUrls() {
      return model().then((m) => m.supportedUrls);
    },
    doGenerate: async (options) => (await model()).doGenerate(options),
    doStream: async (options) => (await model()).doStream(options),
  };
}

function lazyEmbeddingModel(
  provider: string,
  modelId: string,
  load: () => Promise<EmbeddingModelV3>,
): EmbeddingModelV3 {
  const model = once(load);
  return {
    specificationVersion: "v3",
    provider,
    modelId,
    get maxEmbeddingsPerCall() {
      return model().then((m) => m.maxEmbeddingsPerCall);
    },
    get supportsParallelCalls() {
      return model().then((m) => m.supportsParallelCalls);
    },
    doEmbed: async (options) => (await model()).doEmbed(options),
  };
}

/** The first call starts the load; every call gets the same promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}
