import type { LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.ts";
import { toOpenAIUsage } from "./to-openai-usage.ts";

export interface CompletionMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model reference that answered. */
  model: string;
}

/** A provider's whole answer as an OpenAI `chat.completion` object. */
export function toChatCompletion(result: LanguageModelV3GenerateResult, meta: CompletionMeta) {
  let text = "";
  let reasoning = "";
  const toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
  for (const part of result.content) {
    if (part.type === "text") text += part.text;
    else if (part.type === "reasoning") reasoning += part.text;
    else if (part.type === "tool-call" && !part.providerExecuted) {
      toolCalls.push({
        id: part.toolCallId,
        type: "function",
        function: { name: part.toolName, arguments: part.input },
      });
    }
  }
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(reasoning && { reasoning_content: reasoning }),
          ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
        },
        logprobs: null,
        finish_reason: mapOpenAIFinishReason(result.finishReason),
      },
    ],
    usage: toOpenAIUsage(result.usage),
  };
}
