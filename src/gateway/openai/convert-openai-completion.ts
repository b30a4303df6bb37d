import type { LanguageModelV3Content, LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { LlmuxError } from "../../core/errors.ts";
import { convertOpenAIUsage, type OpenAIUsage } from "./convert-openai-usage.ts";
import { mapOpenAIFinishReasonToUnified } from "./map-openai-finish-reason-to-unified.ts";

interface OpenAICompletion {
  error?: unknown;
  choices?: {
    message?: {
      content?: string | { type?: string; text?: string }[] | null;
      reasoning_content?: string | null;
      tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] | null;
    };
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
}

/**
 * A whole OpenAI chat completion (the bytes an OpenAI-compatible API answered) as the provider
 * layer's result: text, reasoning (`reasoning_content`, as DeepSeek and others send it) and tool
 * calls; or `{ error }`: the error object sent in its place, or an LlmuxError for a body that is
 * not a completion.
 */
export function convertOpenAICompletion(
  text: string,
  providerLabel: string,
): { result: LanguageModelV3GenerateResult; error?: undefined } | { result?: undefined; error: unknown } {
  let json: OpenAICompletion;
  try {
    json = JSON.parse(text) as OpenAICompletion;
  } catch {
    json = {};
  }
  if (json.error !== undefined) return { error: json.error };
  const choice = json.choices?.[0];
  if (!choice?.message) {
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    return {
      error: new LlmuxError(
        "provider_error",
        `${providerLabel} sent an answer the gateway cannot read: ${shown}`,
        {
          hint: "Try again in a moment",
        },
      ),
    };
  }
  const { message } = choice;
  const content: LanguageModelV3Content[] = [];
  if (message.reasoning_content) content.push({ type: "reasoning", text: message.reasoning_content });
  const answer =
    typeof message.content === "string"
      ? message.content
      : (message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
  if (answer) content.push({ type: "text", text: answer });
  for (const call of message.tool_calls ?? []) {
    if (!call.id || !call.function?.name) continue;
    content.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.function.name,
      input: call.function.arguments ?? "",
    });
  }
  return {
    result: {
      content,
      finishReason: mapOpenAIFinishReasonToUnified(choice.finish_reason),
      usage: convertOpenAIUsage(json.usage),
      warnings: [],
    },
  };
}
