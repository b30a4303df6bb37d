import type { LlmuxConfig } from "../core/load-config.ts";
import type { ResolvedModel } from "./provider-registry.ts";

export interface TokenCount {
  /** Which tokenizer counted: the model file, a named BPE encoding, or "estimate". */
  tokenizer: string;
  /** False when the count is an estimate (providers whose tokenizer is not public). */
  exact: boolean;
  count: number;
  ids?: number[];
  pieces?: string[];
}

/** Roughly four characters a token for English text in today's BPE vocabularies. */
const CHARS_PER_TOKEN = 4;

/**
 * Counts a text's tokens the way the model will: a local model with its own tokenizer, OpenAI
 * models with their published encodings; everything else is an estimate and says so.
 */
export async function countTokens(
  resolved: ResolvedModel,
  text: string,
  config: LlmuxConfig,
): Promise<TokenCount> {
  if (resolved.provider === "local") {
    const [{ resolveLocalModelPath }, { tokenize }] = await Promise.all([
      import("../local/resolve-local-model-path.ts"),
      import("../local/tokenize.ts"),
    ]);
    const path = await resolveLocalModelPath(resolved.modelId, {
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    const { ids, pieces, count } = await tokenize(path, text);
    return { tokenizer: `${resolved.modelId} (GGUF vocabulary)`, exact: true, count, ids, pieces };
  }
  const encoding = openAIEncoding(resolved);
  if (encoding) {
    const { encode, decode } = await import(`gpt-tokenizer/encoding/${encoding}`);
    const ids = (encode as (t: string) => number[])(text);
    const pieces = ids.map((id) => (decode as (ids: number[]) => string)([id]));
    return { tokenizer: encoding, exact: true, count: ids.length, ids, pieces };
  }
  return { tokenizer: "estimate", exact: false, count: estimateTokens(text) };
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** OpenAI's encodings: o200k_base since GPT-4o, cl100k_base for GPT-4, GPT-3.5 and embeddings. */
function openAIEncoding(resolved: ResolvedModel): "o200k_base" | "cl100k_base" | undefined {
  if (resolved.provider !== "openai" && resolved.provider !== "azure") return undefined;
  const id = resolved.modelId;
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/.test(id)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/.test(id)) return "cl100k_base";
  return resolved.provider === "openai" ? "o200k_base" : undefined;
}
