import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.ts";
import type { CompletionMeta } from "./to-chat-completion.ts";
import { toOpenAIUsage } from "./to-openai-usage.ts";

interface ChunkEncoder {
  /** The SSE text for a stream part, or "" for parts that have no OpenAI counterpart. */
  encode(part: LanguageModelV3StreamPart): string;
  /** The usage the finish part reported, once it has come. */
  readonly usage: LanguageModelV3Usage | undefined;
}

/**
 * Encodes provider stream parts as OpenAI `chat.completion.chunk` SSE events. The envelope around
 * the delta is built once per stream, so a text delta costs one JSON.stringify of its string.
 * The first event carries the assistant role; the finish part brings the finish_reason event, the
 * usage event when the client asked for it (stream_options.include_usage), and `data: [DONE]`.
 */
export function createChunkEncoder(meta: CompletionMeta, includeUsage: boolean): ChunkEncoder {
  const head = `data: {"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"choices":[`;
  // With include_usage every other chunk carries "usage": null, as OpenAI's do.
  const tail = includeUsage ? `,"usage":null}\n\n` : "}\n\n";
  const delta = (json: string, finish = "null") =>
    `${head}{"index":0,"delta":${json},"logprobs":null,"finish_reason":${finish}}]${tail}`;
  const toolIndex = new Map<string, number>();
  // Streamed calls whose arguments have not started yet.
  const awaitingArguments = new Set<string>();
  let started = false;
  let usage: LanguageModelV3Usage | undefined;

  // The role goes with the first delta, as OpenAI sends it.
  const open = () => {
    if (started) return "";
    started = true;
    return delta('{"role":"assistant","content":""}');
  };

  return {
    get usage() {
      return usage;
    },
    encode(part) {
      switch (part.type) {
        case "text-delta":
          return part.delta === "" ? open() : open() + delta(`{"content":${JSON.stringify(part.delta)}}`);
        case "reasoning-delta":
          return part.delta === ""
            ? open()
            : open() + delta(`{"reasoning_content":${JSON.stringify(part.delta)}}`);
        case "tool-input-start": {
          if (part.providerExecuted) return "";
          const index = toolIndex.size;
          toolIndex.set(part.id, index);
          awaitingArguments.add(part.id);
          return (
            open() +
            delta(
              `{"tool_calls":[{"index":${index},"id":${JSON.stringify(part.id)},"type":"function","function":{"name":${JSON.stringify(part.toolName)},"arguments":""}}]}`,
            )
          );
        }
        case "tool-input-delta": {
          const index = toolIndex.get(part.id);
          if (index === undefined || part.delta === "") return "";
          awaitingArguments.delete(part.id);
          return delta(
            `{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(part.delta)}}}]}`,
          );
        }
        case "tool-call": {
          // Providers that stream a call's input already sent it; the rest send the call whole.
          if (part.providerExecuted) return "";
          const streamed = toolIndex.get(part.toolCallId);
          if (streamed !== undefined) {
            // A call without arguments streams none: the client still needs its "{}".
            if (!awaitingArguments.delete(part.toolCallId) || part.input === "") return "";
            return delta(
              `{"tool_calls":[{"index":${streamed},"function":{"arguments":${JSON.stringify(part.input)}}}]}`,
            );
          }
          const index = toolIndex.size;
          toolIndex.set(part.toolCallId, index);
          return (
            open() +
            delta(
              `{"tool_calls":[{"index":${index},"id":${JSON.stringify(part.toolCallId)},"type":"function","function":{"name":${JSON.stringify(part.toolName)},"arguments":${JSON.stringify(part.input)}}}]}`,
            )
          );
        }
        case "finish": {
          usage = part.usage;
          let text = open() + delta("{}", JSON.stringify(mapOpenAIFinishReason(part.finishReason)));
          if (includeUsage) text += `${head}],"usage":${JSON.stringify(toOpenAIUsage(part.usage))}}\n\n`;
          return `${text}data: [DONE]\n\n`;
        }
        default:
          return "";
      }
    },
  };
}
