import type { LlmuxConfig } from "../core/load-config.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import { openAIEncoding } from "./openai-encoding.ts";
import type { TokenCount } from "./provider-definition.ts";
import type { ResolvedModel } from "./provider-registry.ts";

/**
 * Counts a text's tokens the way the model will: with the provider's own tokenizer (a local
 * model's vocabulary), OpenAI's published encodings for OpenAI's models; everything else is an
 * estimate and says so.
 */
export async function countTokens(
  resolved: ResolvedModel,
  text: string,
  config: LlmuxConfig,
): Promise<TokenCount> {
  if (resolved.definition.countTokens) return resolved.definition.countTokens(resolved, text, config);
  const encoding = openAIEncoding(resolved);
  if (encoding) {
    const { encode, decode } = await import(`gpt-tokenizer/encoding/${encoding}`);
    const ids = (encode as (t: string) => number[])(text);
    const pieces = ids.map((id) => (decode as (ids: number[]) => string)([id]));
    return { tokenizer: encoding, exact: true, count: ids.length, ids, pieces };
  }
  return { tokenizer: "estimate", exact: false, count: estimateTokens(text) };
}
