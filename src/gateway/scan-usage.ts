import type { TokenUsage } from "../catalog/compute-cost.ts";

/**
 * The token counts of the last OpenAI `usage` object in `text` (a response body, or the tail of
 * an SSE stream), found by string search rather than by parsing every chunk: the forwarded bytes
 * are never decoded. Undefined when no usage was sent.
 */
export function scanUsage(text: string): TokenUsage | undefined {
  const prompt = text.lastIndexOf('"prompt_tokens"');
  if (prompt < 0) return undefined;
  // The usage object starts a little before prompt_tokens; completion_tokens and the details follow.
  const start = text.lastIndexOf('"usage"', prompt);
  const from = start < 0 ? prompt : start;
  const inputTokens = numberAfter(text, '"prompt_tokens"', from);
  if (inputTokens === undefined) return undefined;
  // Embeddings report prompt tokens only.
  const outputTokens = numberAfter(text, '"completion_tokens"', from) ?? 0;
  const cachedInputTokens = numberAfter(text, '"cached_tokens"', from);
  return cachedInputTokens === undefined
    ? { inputTokens, outputTokens }
    : { inputTokens, outputTokens, cachedInputTokens };
}

function numberAfter(text: string, name: string, from: number): number | undefined {
  const at = text.indexOf(name, from);
  if (at < 0) return undefined;
  let i = at + name.length;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 58) i++; // spaces and the colon
  let value = 0;
  let digits = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
    value = value * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? value : undefined;
}
