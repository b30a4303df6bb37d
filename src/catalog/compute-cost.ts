import type { CatalogEntry } from "./catalog.ts";

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  cachedInputTokens?: number;
}

/**
 * The USD cost of one call, rounded to 1e-9; null when the model's price or the token counts are
 * unknown, because an unknown cost shown as 0 would read as free.
 */
export function computeCost(
  entry: Pick<CatalogEntry, "pricing"> | undefined,
  usage: TokenUsage,
): number | null {
  const pricing = entry?.pricing;
  const { inputTokens, outputTokens, cachedInputTokens = 0 } = usage;
  if (!pricing || inputTokens === undefined || outputTokens === undefined) return null;
  // Cached tokens are billed at the cache rate where the provider publishes one, else as input.
  const cached = Math.min(cachedInputTokens, inputTokens);
  const cachedRate = pricing.cachedInputPerMTok ?? pricing.inputPerMTok;
  const millionths =
    (inputTokens - cached) * pricing.inputPerMTok +
    cached * cachedRate +
    outputTokens * pricing.outputPerMTok;
  return Math.round(millionths * 1e3) / 1e9;
}
