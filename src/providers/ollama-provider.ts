import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import type { LlmuxConfig } from "../core/load-config.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import { lazyProvider } from "./lazy-provider.ts";
import type { ProviderContext, ProviderDefinition } from "./provider-definition.ts";
import { readSetting } from "./read-provider-setting.ts";

/**
 * Ollama's context when nobody sets one. Ollama itself defaults to 2,048 or 4,096 tokens and
 * silently drops the start of longer prompts, so llmux always sends num_ctx.
 */
const OLLAMA_DEFAULT_NUM_CTX = 8192;

/** Ollama through its native /api/chat, which is where num_ctx can be set. */
export const ollamaProvider: ProviderDefinition = {
  id: "ollama",
  label: "Ollama",
  category: "server",
  keyEnv: [],
  baseUrlEnv: "OLLAMA_HOST",
  openaiCompatible: false,
  embeddings: true,
  setup: "run `ollama serve` (OLLAMA_HOST if it is not on 127.0.0.1:11434)",
  // A local server: nothing to configure unless it lives elsewhere.
  isConfigured: () => true,
  runsLocally: true,
  modelLimits: async (resolved, config) => {
    // The num_ctx the calls send, and no more than the model was trained on.
    const configured = ollamaNumCtx(config);
    const numCtx = Math.min(configured, resolved.catalogEntry?.contextWindow ?? configured);
    return {
      contextWindow: numCtx,
      countTokens: estimateTokens,
      tokenizer: "estimate",
      // Ollama silently drops the start of a prompt longer than its num_ctx: say it explicitly.
      providerOptions: { ollama: { options: { num_ctx: numCtx } } },
      capOutput: true,
      systemRole: true,
      concurrency: 2,
      release: () => {},
    };
  },
  // GET /api/tags: it answers when Ollama runs, with the models pulled into it.
  checkReadiness: async (context) => {
    const answer = await context.probe({
      url: `${ollamaHost(context)}/api/tags`,
      headers: context.settings.headers,
      readModels: readTagNames,
    });
    if (answer.status === null || answer.models === null) return { reason: "not running", models: [] };
    const pulled = new Set(answer.models);
    return {
      reason: null,
      models: answer.models.map((id) => ({ id, weights: "open" })),
      // Ollama reads a name without a tag as `:latest`.
      hasModel: (id) => pulled.has(id) || (!/:[^/]*$/.test(id) && pulled.has(`${id}:latest`)),
    };
  },
  create: (context) => {
    const settings = { baseURL: `${ollamaHost(context)}/api`, headers: context.settings.headers };
    const numCtx = ollamaNumCtx(context.config);
    return lazyProvider(ollamaProvider, async () => {
      const [{ createOllama }, { wrapLanguageModel }] = await Promise.all([
        import("ollama-ai-provider-v2"),
        import("ai"),
      ]);
      const provider = createOllama(settings);
      const withOllamaOptions = (model: LanguageModelV3): LanguageModelV3 =>
        wrapLanguageModel({
          model,
          middleware: {
            specificationVersion: "v3",
            transformParams: async ({ params }) => moveSettingsIntoOptions(params, numCtx),
          },
        });
      return {
        languageModel: (id) => withOllamaOptions(provider(id)),
        embeddingModel: (id) => provider.embeddingModel(id),
      };
    });
  },
};

/** The num_ctx sent with every call: the config's, else OLLAMA_CONTEXT_LENGTH (as Ollama reads it), else llmux's default. */
function ollamaNumCtx(config: LlmuxConfig): number {
  return (
    config.file.providers.ollama?.numCtx ??
    (Number(config.env.OLLAMA_CONTEXT_LENGTH) || OLLAMA_DEFAULT_NUM_CTX)
  );
}

/** `{"models":[{"name":"llama3.2:1b",...}]}`, as Ollama's docs/api.md shows /api/tags. */
function readTagNames(body: unknown): string[] | undefined {
  const models = (body as { models?: unknown } | undefined)?.models;
  if (!Array.isArray(models)) return undefined;
  return models
    .map((m: { name?: unknown }) => m?.name)
    .filter((name): name is string => typeof name === "string");
}

/** OLLAMA_HOST is often written without a scheme (`0.0.0.0:11434`), as the ollama CLI accepts it. */
export function ollamaHost(context: ProviderContext): string {
  const host = readSetting(context, context.settings.baseURL, ["OLLAMA_HOST"]) ?? "http://127.0.0.1:11434";
  const withScheme = /^https?:\/\//.test(host) ? host : `http://${host}`;
  return withScheme.replace(/\/+$/, "").replace(/\/api$/, "");
}

/**
 * The provider package sends temperature, top_p and max tokens as top-level fields, which
 * Ollama's native API ignores: they belong in `options`, with num_ctx. Move them there, keeping
 * anything the caller set explicitly.
 */
function moveSettingsIntoOptions(
  params: LanguageModelV3CallOptions,
  numCtx: number,
): LanguageModelV3CallOptions {
  const ollama = (params.providerOptions?.ollama ?? {}) as { options?: Record<string, unknown> };
  const options = {
    num_ctx: numCtx,
    temperature: params.temperature,
    top_p: params.topP,
    top_k: params.topK,
    num_predict: params.maxOutputTokens,
    seed: params.seed,
    stop: params.stopSequences,
    ...ollama.options,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    ...params,
    providerOptions: { ...params.providerOptions, ollama: { ...ollama, options: defined } } as NonNullable<
      LanguageModelV3CallOptions["providerOptions"]
    >,
  };
}
