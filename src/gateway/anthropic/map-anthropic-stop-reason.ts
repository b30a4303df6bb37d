import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** The provider layer's finish reason for Anthropic's stop_reason, as the AI SDK's Anthropic provider maps it. */
export function mapAnthropicStopReason(reason: string | null | undefined): LanguageModelV3FinishReason {
  const raw = reason ?? undefined;
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return { unified: "stop", raw };
    case "refusal":
      return { unified: "content-filter", raw };
    case "tool_use":
      return { unified: "tool-calls", raw };
    case "max_tokens":
    case "model_context_window_exceeded":
      return { unified: "length", raw };
    default:
      return { unified: "other", raw };
  }
}
