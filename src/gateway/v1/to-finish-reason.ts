import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** A translated answer's finish reason: the provider's own word for it, else the AI SDK's. */
export function toFinishReason(reason: LanguageModelV3FinishReason): string {
  return reason.raw ?? reason.unified;
}
