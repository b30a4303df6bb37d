import { StringDecoder } from "node:string_decoder";
import type { LanguageModelV3FinishReason, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createParser } from "eventsource-parser";
import { LlmuxError } from "../../core/errors.ts";
import { convertOpenAIUsage, type OpenAIUsage } from "./convert-openai-usage.ts";
import { mapOpenAIFinishReasonToUnified } from "./map-openai-finish-reason-to-unified.ts";

interface OpenAIChunk {
  error?: unknown;
  choices?: {
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] | null;
    } | null;
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
}

interface OpenAIStreamReader {
  /** Reads one piece of the SSE body (events and characters may be split anywhere). */
  write(chunk: Buffer): void;
  /** The body has ended: a stream cut short of [DONE] still gets its finish part. */
  end(): void;
}

/**
 * Reads a streamed OpenAI chat completion (an OpenAI-compatible API's SSE chunks) as the provider
 * layer's stream parts, as the AI SDK's OpenAI provider would report them: text, reasoning
 * (`reasoning_content`) and tool calls (each started, its arguments streamed, then whole once the
 * finish_reason comes). The finish part waits for the usage chunk, which follows the
 * finish_reason. An error object, or a chunk that is not JSON, ends the stream with an `error`
 * part; nothing is read after it.
 */
export function createOpenAIStreamReader(
  onPart: (part: LanguageModelV3StreamPart) => void,
  providerLabel: string,
): OpenAIStreamReader {
  const decoder = new StringDecoder("utf8");
  // Tool calls by their index in the answer.
  const tools = new Map<number, { id: string; name: string; input: string }>();
  let finishReason: LanguageModelV3FinishReason | undefined;
  let usage: OpenAIUsage | null | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onPart({
      type: "finish",
      finishReason: finishReason ?? { unified: "other", raw: undefined },
      usage: convertOpenAIUsage(usage),
    });
  };
  const read = (chunk: OpenAIChunk) => {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    if (delta?.reasoning_content)
      onPart({ type: "reasoning-delta", id: "reasoning", delta: delta.reasoning_content });
    if (delta?.content) onPart({ type: "text-delta", id: "text", delta: delta.content });
    for (const call of delta?.tool_calls ?? []) {
      const index = call.index ?? tools.size;
      let tool = tools.get(index);
      if (!tool) {
        if (!call.id || !call.function?.name) continue;
        tool = { id: call.id, name: call.function.name, input: "" };
        tools.set(index, tool);
        onPart({ type: "tool-input-start", id: tool.id, toolName: tool.name });
      }
      const args = call.function?.arguments;
      if (args) {
        tool.input += args;
        onPart({ type: "tool-input-delta", id: tool.id, delta: args });
      }
    }
    if (choice?.finish_reason) {
      finishReason = mapOpenAIFinishReasonToUnified(choice.finish_reason);
      for (const tool of tools.values()) {
        onPart({ type: "tool-call", toolCallId: tool.id, toolName: tool.name, input: tool.input || "{}" });
      }
      tools.clear();
    }
  };
  const parser = createParser({
    onEvent: (message) => {
      if (done) return;
      if (message.data === "[DONE]") return finish();
      let chunk: OpenAIChunk;
      try {
        chunk = JSON.parse(message.data) as OpenAIChunk;
      } catch {
        done = true;
        const shown = message.data.length > 200 ? `${message.data.slice(0, 200)}…` : message.data;
        onPart({
          type: "error",
          error: new LlmuxError(
            "provider_error",
            `${providerLabel} sent an event the gateway cannot read: ${shown}`,
            {
              hint: "Try again in a moment",
            },
          ),
        });
        return;
      }
      if (chunk.error !== undefined) {
        done = true;
        onPart({ type: "error", error: chunk.error });
        return;
      }
      read(chunk);
    },
  });
  return {
    write: (chunk) => parser.feed(decoder.write(chunk)),
    end() {
      parser.feed(decoder.end());
      finish();
    },
  };
}
