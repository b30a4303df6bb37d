import { StringDecoder } from "node:string_decoder";
import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { createParser } from "eventsource-parser";
import {
  type AnthropicStreamEvent,
  anthropicStreamEventSchema,
  KNOWN_ANTHROPIC_EVENTS,
} from "./anthropic-stream-event-schema.ts";
import type { AnthropicUsage } from "./anthropic-usage-schema.ts";
import { convertAnthropicUsage } from "./convert-anthropic-usage.ts";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.ts";
import { unreadableAnthropicData } from "./unreadable-anthropic-data.ts";

interface AnthropicStreamReader {
  /** Reads one piece of the SSE body (events and characters may be split anywhere). */
  write(chunk: Buffer): void;
  /** The body has ended: a stream cut short of message_stop still gets its finish part. */
  end(): void;
}

/**
 * Reads a streamed Messages API answer as the provider layer's stream parts, as the AI SDK's
 * Anthropic provider would report them, for the blocks a chat completion can carry: text,
 * thinking and tool use. Every event of a known type is checked against its schema; one that
 * does not match (or is not JSON) ends the stream with an `error` part, as an `error` event does.
 * Nothing is read after an error part.
 */
export function createAnthropicStreamReader(
  onPart: (part: LanguageModelV3StreamPart) => void,
): AnthropicStreamReader {
  const decoder = new StringDecoder("utf8");
  const usage: AnthropicUsage = {};
  // Tool-use blocks by index: their deltas and stop name the call.
  const tools = new Map<number, { id: string; name: string }>();
  let stopReason: string | null | undefined;
  let finished: LanguageModelV3Usage | undefined;
  let failed = false;

  const finish = () => {
    finished = convertAnthropicUsage(usage);
    onPart({ type: "finish", finishReason: mapAnthropicStopReason(stopReason), usage: finished });
  };
  const fail = (error: unknown) => {
    failed = true;
    onPart({ type: "error", error });
  };

  const read = (event: AnthropicStreamEvent) => {
    switch (event.type) {
      case "message_start":
        Object.assign(usage, event.message.usage);
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use" && "id" in block && block.id && block.name) {
          tools.set(event.index, { id: block.id, name: block.name });
          onPart({ type: "tool-input-start", id: block.id, toolName: block.name });
        }
        break;
      }
      case "content_block_delta": {
        const { delta } = event;
        if (delta.type === "text_delta" && "text" in delta && delta.text) {
          onPart({ type: "text-delta", id: String(event.index), delta: delta.text });
        } else if (delta.type === "thinking_delta" && "thinking" in delta && delta.thinking) {
          onPart({ type: "reasoning-delta", id: String(event.index), delta: delta.thinking });
        } else if (delta.type === "input_json_delta" && "partial_json" in delta && delta.partial_json) {
          const tool = tools.get(event.index);
          if (tool) onPart({ type: "tool-input-delta", id: tool.id, delta: delta.partial_json });
        }
        break;
      }
      case "content_block_stop": {
        // The whole call, as the AI SDK reports it: the OpenAI encoder sends "{}" for one without arguments.
        const tool = tools.get(event.index);
        if (tool) onPart({ type: "tool-call", toolCallId: tool.id, toolName: tool.name, input: "{}" });
        break;
      }
      case "message_delta":
        if (event.delta.stop_reason !== undefined) stopReason = event.delta.stop_reason;
        for (const [field, count] of Object.entries(event.usage ?? {})) {
          // Counts it does not repeat (null) keep message_start's.
          if (count !== null && count !== undefined) usage[field as keyof AnthropicUsage] = count;
        }
        break;
      case "message_stop":
        finish();
        break;
      case "error":
        fail(event.error);
        break;
    }
  };

  const parser = createParser({
    onEvent: (message) => {
      if (failed) return;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        return fail(unreadableAnthropicData("event", message.data, "not JSON"));
      }
      const type = (json as { type?: unknown } | null)?.type;
      // Anthropic's versioning policy: new event types may come, and are to be ignored.
      if (typeof type === "string" && !KNOWN_ANTHROPIC_EVENTS.has(type)) return;
      const parsed = anthropicStreamEventSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(
          unreadableAnthropicData(
            "event",
            message.data,
            `${issue?.path.join(".") || "(event)"}: ${issue?.message}`,
          ),
        );
      }
      read(parsed.data);
    },
  });

  return {
    write: (chunk) => parser.feed(decoder.write(chunk)),
    end() {
      parser.feed(decoder.end());
      if (!finished && !failed) finish();
    },
  };
}
