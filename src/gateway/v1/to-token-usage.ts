import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { TokenUsage } from "../../catalog/compute-cost.ts";

/** The usage log's token counts for the provider layer's usage. */
export function toTokenUsage(usage: LanguageModelV3Usage): TokenUsage {
  return {
    inputTokens: usage.inputTokens.total,
    outputTokens: usage.outputTokens.total,
    cachedInputTokens: usage.inputTokens.cacheRead,
  };
}
