import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** Anthropic's stop_reason for the provider layer's finish reason (the reverse of mapAnthropicStopReason). */
export function mapFinishReasonToAnthropic(reason: LanguageModelV3FinishReason): string {
  switch (reason.unified) {
    case "length":
      return "max_tokens";
    case "tool-calls":
      return "tool_use";
    case "content-filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
