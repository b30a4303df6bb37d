import type { LlmuxConfig } from "../core/load-config.ts";
import { loadLocalModel } from "../providers/local-provider.ts";
import { OLLAMA_DEFAULT_NUM_CTX } from "../providers/ollama-provider.ts";
import type { ResolvedModel } from "../providers/provider-registry.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import type { CountTokens } from "./split-into-chunks.ts";

/** What a summary needs to know about a model to fit a page into its context. */
export interface ModelLimits {
  /** Tokens of context the calls may use. */
  contextWindow: number;
  countTokens: CountTokens;
  /** "model": the model's own tokenizer; "o200k": OpenAI's (gpt-tokenizer); "estimate": from characters. */
  tokenizer: "model" | "o200k" | "estimate";
  /** Sent with every call (Ollama's num_ctx). */
  providerOptions: Record<string, Record<string, unknown>> | undefined;
  /**
   * Whether calls always carry a max-tokens cap. Local engines write until the context is full
   * without one; cloud reasoning models would spend a small cap on thinking, so they get none
   * unless the caller asks.
   */
  capOutput: boolean;
  /** False for a local model without a chat template: it only continues text, so the system prompt goes into the text. */
  systemRole: boolean;
  /** Calls to run at once. */
  concurrency: number;
  /** Lets go of the local model (it stays loaded for the summary's calls until then). */
  release(): void;
}

/** Models the catalog does not know: a context most models today exceed. */
export const DEFAULT_CONTEXT_WINDOW = 8192;

/**
 * The context and the token counter for a model: a local model's real context size and its own
 * tokenizer; Ollama's num_ctx; otherwise the catalog's context window with gpt-tokenizer for
 * OpenAI models and an estimate for the rest.
 */
export async function resolveModelLimits(resolved: ResolvedModel, config: LlmuxConfig): Promise<ModelLimits> {
  if (resolved.provider === "local") return localLimits(resolved, config);
  const catalogWindow = resolved.catalogEntry?.contextWindow;
  if (resolved.provider === "ollama") {
    // The same num_ctx the provider sends by default, and no more than the model was trained on.
    const configured =
      config.file.providers.ollama?.numCtx ??
      (Number(config.env.OLLAMA_CONTEXT_LENGTH) || OLLAMA_DEFAULT_NUM_CTX);
    const numCtx = Math.min(configured, catalogWindow ?? configured);
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
  }
  const openAI =
    resolved.catalogEntry?.family === "GPT" ||
    resolved.provider === "openai" ||
    resolved.provider === "azure" ||
    /(^|\/)(gpt-|chatgpt-|o\d)/i.test(resolved.modelId);
  const countTokens = openAI ? (await import("gpt-tokenizer")).countTokens : estimateTokens;
  return {
    contextWindow: catalogWindow ?? DEFAULT_CONTEXT_WINDOW,
    countTokens: (text) => countTokens(text),
    tokenizer: openAI ? "o200k" : "estimate",
    providerOptions: undefined,
    capOutput: false,
    systemRole: true,
    concurrency: 4,
    release: () => {},
  };
}

async function localLimits(resolved: ResolvedModel, config: LlmuxConfig): Promise<ModelLimits> {
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
    tokenizer: "model",
    providerOptions: undefined,
    capOutput: true,
    systemRole: chatWrapper !== undefined,
    // The engine serves two sequences per model and queues the rest.
    concurrency: 2,
    release: lease.release,
  };
}
