import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** A Response's `status` and `incomplete_details` for the provider layer's finish reason. */
export function mapResponsesStatus(reason: LanguageModelV3FinishReason): {
  status: "completed" | "incomplete";
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
} {
  if (reason.unified === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (reason.unified === "content-filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}
