import type { LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { mapFinishReasonToAnthropic } from "./map-finish-reason-to-anthropic.ts";
import { parseToolInput } from "./parse-tool-input.ts";
import { toAnthropicUsage } from "./to-anthropic-usage.ts";

/** The id and model name an answer carries. */
export interface AnthropicMessageMeta {
  id: string;
  model: string;
}

/** A provider layer's whole answer as a Messages API message (text, thinking, tool_use blocks). */
export function toAnthropicMessage(result: LanguageModelV3GenerateResult, meta: AnthropicMessageMeta) {
  const content: Record<string, unknown>[] = [];
  for (const part of result.content) {
    if (part.type === "text") content.push({ type: "text", text: part.text });
    else if (part.type === "reasoning")
      content.push({ type: "thinking", thinking: part.text, signature: "" });
    else if (part.type === "tool-call" && !part.providerExecuted) {
      content.push({
        type: "tool_use",
        id: part.toolCallId,
        name: part.toolName,
        input: parseToolInput(part.input),
      });
    }
  }
  return {
    id: meta.id,
    type: "message",
    role: "assistant",
    model: meta.model,
    content,
    stop_reason: mapFinishReasonToAnthropic(result.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(result.usage),
  };
}
