import type { LanguageModelV3Usage } from "@ai-sdk/provider";

/** The OpenAI `usage` object for a provider's token counts (unknown counts as 0, as OpenAI has no null). */
export function toOpenAIUsage(usage: LanguageModelV3Usage) {
  const prompt = usage.inputTokens.total ?? 0;
  const completion = usage.outputTokens.total ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.inputTokens.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning ?? 0 },
  };
}
