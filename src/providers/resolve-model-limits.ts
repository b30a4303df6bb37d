import type { LlmuxConfig } from "../core/load-config.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import { openAIEncoding } from "./openai-encoding.ts";
import type { ModelLimits } from "./provider-definition.ts";
import type { ResolvedModel } from "./provider-registry.ts";

/** Models the catalog does not know: a context most models today exceed. */
export const DEFAULT_CONTEXT_WINDOW = 8192;

/**
 * The context and the token counter for a model, as its provider knows them (a local model's
 * loaded context and vocabulary, Ollama's num_ctx); otherwise the catalog's context window, with
 * OpenAI's encoding for OpenAI's models and an estimate for the rest.
 */
export async function resolveModelLimits(resolved: ResolvedModel, config: LlmuxConfig): Promise<ModelLimits> {
  if (resolved.definition.modelLimits) return resolved.definition.modelLimits(resolved, config);
  const encoding = openAIEncoding(resolved);
  const countTokens = encoding
    ? ((await import(`gpt-tokenizer/encoding/${encoding}`)).countTokens as (text: string) => number)
    : estimateTokens;
  return {
    contextWindow: resolved.catalogEntry?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    countTokens: (text) => countTokens(text),
    tokenizer: encoding ?? "estimate",
    providerOptions: undefined,
    capOutput: false,
    systemRole: true,
    concurrency: 4,
    release: () => {},
  };
}
