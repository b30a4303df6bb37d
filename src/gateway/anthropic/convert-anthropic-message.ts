import type { LanguageModelV3Content, LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { anthropicMessageSchema } from "./anthropic-message-schema.ts";
import { convertAnthropicUsage } from "./convert-anthropic-usage.ts";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.ts";
import { unreadableAnthropicData } from "./unreadable-anthropic-data.ts";

/**
 * A whole Messages API answer as the provider layer's result (text, thinking and tool calls, the
 * blocks a chat completion can carry), or `{ error }`: the error object Anthropic sent in its
 * place, or an LlmuxError for a body that does not match the schema.
 */
export function convertAnthropicMessage(
  text: string,
): { result: LanguageModelV3GenerateResult; error?: undefined } | { result?: undefined; error: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: unreadableAnthropicData("answer", text, "not JSON") };
  }
  const parsed = anthropicMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: unreadableAnthropicData(
        "answer",
        text,
        `${issue?.path.join(".") || "(body)"}: ${issue?.message}`,
      ),
    };
  }
  const message = parsed.data;
  if (message.type === "error") return { error: message.error };
  const content: LanguageModelV3Content[] = [];
  for (const block of message.content) {
    if (block.type === "text" && "text" in block && block.text)
      content.push({ type: "text", text: block.text });
    else if (block.type === "thinking" && "thinking" in block && block.thinking)
      content.push({ type: "reasoning", text: block.thinking });
    else if (block.type === "tool_use" && "id" in block && block.id && block.name) {
      content.push({
        type: "tool-call",
        toolCallId: block.id,
        toolName: block.name,
        input: JSON.stringify(block.input ?? {}),
      });
    }
  }
  return {
    result: {
      content,
      finishReason: mapAnthropicStopReason(message.stop_reason),
      usage: convertAnthropicUsage(message.usage),
      warnings: [],
    },
  };
}
