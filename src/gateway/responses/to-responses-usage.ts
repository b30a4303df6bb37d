import type { LanguageModelV3Usage } from "@ai-sdk/provider";

/** The Responses API `usage` object for a provider's token counts (unknown counts as 0, as OpenAI has no null). */
export function toResponsesUsage(usage: LanguageModelV3Usage) {
  const input = usage.inputTokens.total ?? 0;
  const output = usage.outputTokens.total ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.inputTokens.cacheRead ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning ?? 0 },
    total_tokens: input + output,
  };
}
