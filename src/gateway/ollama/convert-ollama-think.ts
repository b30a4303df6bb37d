import type { SharedV3ProviderOptions } from "@ai-sdk/provider";

// Anthropic's thinking budget for Ollama's levels; `true` is the middle one.
const BUDGET_TOKENS = { low: 1024, medium: 4096, high: 16384 } as const;

/**
 * Ollama's `think` as the switches of the providers that take one per request: Anthropic's
 * extended thinking (a budget by level) and Gemini's thoughts (included in the answer). Other
 * models reason, or not, as they do by default; `false` only hides what they show.
 */
export function convertOllamaThink(
  think: boolean | keyof typeof BUDGET_TOKENS | null | undefined,
): SharedV3ProviderOptions | undefined {
  if (think == null || think === false) return undefined;
  return {
    anthropic: {
      thinking: { type: "enabled", budgetTokens: BUDGET_TOKENS[think === true ? "medium" : think] },
    },
    google: { thinkingConfig: { includeThoughts: true } },
  };
}
