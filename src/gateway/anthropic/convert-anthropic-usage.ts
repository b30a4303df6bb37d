import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { AnthropicUsage } from "./anthropic-usage-schema.ts";

/** The provider layer's usage for Anthropic's; its input_tokens leaves out what the prompt cache read or wrote. */
export function convertAnthropicUsage(usage: AnthropicUsage): LanguageModelV3Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const input = usage.input_tokens ?? undefined;
  return {
    inputTokens: {
      total: input === undefined ? undefined : input + cacheRead + cacheWrite,
      noCache: input,
      cacheRead,
      cacheWrite,
    },
    outputTokens: { total: usage.output_tokens ?? undefined, text: undefined, reasoning: undefined },
  };
}
