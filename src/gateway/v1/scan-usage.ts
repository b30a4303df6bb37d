import type { TokenUsage } from "../../catalog/compute-cost.ts";

/**
 * The token counts of the last OpenAI `usage` object in `body` (a response body, or the tail of
 * an SSE stream), found by byte search rather than by parsing every chunk: the forwarded bytes
 * are never decoded. Undefined when no usage was sent.
 */
export function scanUsage(body: Buffer): TokenUsage | undefined {
  const prompt = body.lastIndexOf('"prompt_tokens"');
  if (prompt < 0) return undefined;
  // The usage object starts a little before prompt_tokens; completion_tokens and the details follow.
  const start = body.lastIndexOf('"usage"', prompt);
  const from = start < 0 ? prompt : start;
  const inputTokens = numberAfter(body, '"prompt_tokens"', from);
  if (inputTokens === undefined) return undefined;
  // Embeddings report prompt tokens only.
  const outputTokens = numberAfter(body, '"completion_tokens"', from) ?? 0;
  const cachedInputTokens = numberAfter(body, '"cached_tokens"', from);
  return cachedInputTokens === undefined
    ? { inputTokens, outputTokens }
    : { inputTokens, outputTokens, cachedInputTokens };
}

function numberAfter(body: Buffer, name: string, from: number): number | undefined {
  const at = body.indexOf(name, from);
  if (at < 0) return undefined;
  let i = at + name.length;
  while (body[i] === 32 || body[i] === 58) i++; // spaces and the colon
  let value = 0;
  let digits = 0;
  for (let c = body[i]; c !== undefined && c >= 48 && c <= 57; c = body[++i]) {
    value = value * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? value : undefined;
}
