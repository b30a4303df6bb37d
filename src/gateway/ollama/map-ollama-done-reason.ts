import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/**
 * Ollama's `done_reason` for the provider layer's finish reason: "length" when the output cap
 * cut the answer, else "stop" (Ollama says "stop" after tool calls too).
 */
export function mapOllamaDoneReason(reason: LanguageModelV3FinishReason | undefined): string {
  return reason?.unified === "length" ? "length" : "stop";
}
