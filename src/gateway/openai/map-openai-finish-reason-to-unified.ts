import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** The provider layer's finish reason for OpenAI's finish_reason, as the AI SDK's OpenAI provider maps it. */
export function mapOpenAIFinishReasonToUnified(
  reason: string | null | undefined,
): LanguageModelV3FinishReason {
  const raw = reason ?? undefined;
  switch (reason) {
    case "stop":
      return { unified: "stop", raw };
    case "length":
      return { unified: "length", raw };
    case "content_filter":
      return { unified: "content-filter", raw };
    case "tool_calls":
    case "function_call":
      return { unified: "tool-calls", raw };
    default:
      return { unified: "other", raw };
  }
}
