import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

const FINISH_REASONS: Record<LanguageModelV3FinishReason["unified"], string> = {
  stop: "stop",
  length: "length",
  "content-filter": "content_filter",
  "tool-calls": "tool_calls",
  error: "stop",
  other: "stop",
};

/** OpenAI's finish_reason for the provider layer's unified one. */
export function mapOpenAIFinishReason(reason: LanguageModelV3FinishReason): string {
  return FINISH_REASONS[reason.unified];
}
