import type { LanguageModelV3Usage } from "@ai-sdk/provider";

/** Anthropic's usage object for the provider layer's: its input_tokens leaves out the prompt cache's part. */
export function toAnthropicUsage(usage: LanguageModelV3Usage | undefined): Record<string, number> {
  const input = usage?.inputTokens;
  const cacheRead = input?.cacheRead ?? 0;
  const cacheWrite = input?.cacheWrite ?? 0;
  return {
    input_tokens: input?.noCache ?? Math.max(0, (input?.total ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.outputTokens.total ?? 0,
  };
}
