import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { LlmuxError } from "../../core/errors.ts";
import { mapFinishReasonToAnthropic } from "./map-finish-reason-to-anthropic.ts";
import { toAnthropicErrorEvent } from "./to-anthropic-error-event.ts";
import type { AnthropicMessageMeta } from "./to-anthropic-message.ts";
import { toAnthropicUsage } from "./to-anthropic-usage.ts";

interface AnthropicEventEncoder {
  /** The SSE text for a stream part, or "" for parts with no Anthropic counterpart. */
  encode(part: LanguageModelV3StreamPart): string;
  /** The usage the finish part reported, once it has come. */
  readonly usage: LanguageModelV3Usage | undefined;
  /** The error event that ends a stream whose upstream failed mid-way. */
  failure(message: string): string;
}

const event = (type: string, json: string) => `event: ${type}\ndata: ${json}\n\n`;

/**
 * Encodes provider stream parts as a Messages API stream, in Anthropic's order: message_start and
 * a ping before the first block, each block opened (content_block_start), filled (text_delta,
 * thinking_delta, input_json_delta) and closed before the next, then message_delta with the
 * stop_reason and usage, and message_stop. A block opens on its first delta when the provider
 * sent no start part; a tool call that came whole is one start, one delta and one stop.
 */
export function createAnthropicEventEncoder(meta: AnthropicMessageMeta): AnthropicEventEncoder {
  let started = false;
  let index = -1;
  // The open block: its provider part id and kind.
  let open: { id: string; kind: "text" | "reasoning" | "tool" } | undefined;
  // Tool calls whose input was streamed, so their whole tool-call part repeats nothing.
  const streamedTools = new Set<string>();
  let usage: LanguageModelV3Usage | undefined;

  const start = () => {
    if (started) return "";
    started = true;
    const message = {
      id: meta.id,
      type: "message",
      role: "assistant",
      model: meta.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // The provider layer reports usage at the end: message_delta carries the counts.
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return (
      event("message_start", JSON.stringify({ type: "message_start", message })) +
      event("ping", '{"type":"ping"}')
    );
  };
  const close = () => {
    if (!open) return "";
    open = undefined;
    return event("content_block_stop", `{"type":"content_block_stop","index":${index}}`);
  };
  const openBlock = (id: string, kind: "text" | "reasoning" | "tool", block: object) => {
    if (open?.id === id && open.kind === kind) return "";
    const text = start() + close();
    index++;
    open = { id, kind };
    return (
      text +
      event(
        "content_block_start",
        `{"type":"content_block_start","index":${index},"content_block":${JSON.stringify(block)}}`,
      )
    );
  };
  const delta = (json: string) =>
    event("content_block_delta", `{"type":"content_block_delta","index":${index},"delta":${json}}`);

  return {
    get usage() {
      return usage;
    },
    failure: (message) => toAnthropicErrorEvent(new LlmuxError("provider_error", message)),
    encode(part) {
      switch (part.type) {
        case "text-start":
          return openBlock(part.id, "text", { type: "text", text: "" });
        case "text-delta":
          return part.delta === ""
            ? ""
            : openBlock(part.id, "text", { type: "text", text: "" }) +
                delta(`{"type":"text_delta","text":${JSON.stringify(part.delta)}}`);
        case "reasoning-start":
          return openBlock(part.id, "reasoning", { type: "thinking", thinking: "", signature: "" });
        case "reasoning-delta":
          return part.delta === ""
            ? ""
            : openBlock(part.id, "reasoning", { type: "thinking", thinking: "", signature: "" }) +
                delta(`{"type":"thinking_delta","thinking":${JSON.stringify(part.delta)}}`);
        case "text-end":
        case "reasoning-end":
          return open?.id === part.id ? close() : "";
        case "tool-input-start":
          if (part.providerExecuted) return "";
          streamedTools.add(part.id);
          return openBlock(part.id, "tool", {
            type: "tool_use",
            id: part.id,
            name: part.toolName,
            input: {},
          });
        case "tool-input-delta":
          if (open?.id !== part.id || part.delta === "") return "";
          return delta(`{"type":"input_json_delta","partial_json":${JSON.stringify(part.delta)}}`);
        case "tool-input-end":
          return open?.id === part.id ? close() : "";
        case "tool-call": {
          if (part.providerExecuted) return "";
          if (streamedTools.has(part.toolCallId)) return open?.id === part.toolCallId ? close() : "";
          streamedTools.add(part.toolCallId);
          const input = part.input.trim() === "" ? "{}" : part.input;
          return (
            openBlock(part.toolCallId, "tool", {
              type: "tool_use",
              id: part.toolCallId,
              name: part.toolName,
              input: {},
            }) +
            delta(`{"type":"input_json_delta","partial_json":${JSON.stringify(input)}}`) +
            close()
          );
        }
        case "finish": {
          usage = part.usage;
          const stop = mapFinishReasonToAnthropic(part.finishReason);
          return (
            start() +
            close() +
            event(
              "message_delta",
              `{"type":"message_delta","delta":{"stop_reason":"${stop}","stop_sequence":null},"usage":${JSON.stringify(toAnthropicUsage(part.usage))}}`,
            ) +
            event("message_stop", '{"type":"message_stop"}')
          );
        }
        default:
          return "";
      }
    },
  };
}
