import { StringDecoder } from "node:string_decoder";
import type {
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { TokenUsage } from "../catalog/compute-cost.ts";
import { createChunkEncoder } from "./create-chunk-encoder.ts";
import type { Relay, UpstreamHeaders } from "./relay-upstream.ts";
import { type CompletionMeta, toChatCompletion } from "./to-chat-completion.ts";
import { toStreamError } from "./to-stream-error.ts";
import { toTokenUsage } from "./to-token-usage.ts";

interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface AnthropicBlock {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

interface AnthropicEvent {
  type: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: AnthropicBlock;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
  error?: unknown;
}

/**
 * Anthropic's Messages API answer (SSE events, or one JSON message) as an OpenAI chat completion,
 * read straight from the bytes: the gateway's fast path for Anthropic, which skips the AI SDK's
 * web-stream pipeline (about 1 ms of CPU per streamed answer). It covers text, thinking and tool
 * use, the blocks a chat completion can carry; the request itself is built by the AI SDK.
 */
export function createAnthropicRelay(options: {
  meta: CompletionMeta;
  stream: boolean;
  includeUsage: boolean;
  providerLabel: string;
}): Relay {
  return options.stream ? new AnthropicStreamRelay(options) : new AnthropicMessageRelay(options);
}

class AnthropicStreamRelay implements Relay {
  error: Error | undefined = undefined;
  private readonly encoder;
  private readonly decoder = new StringDecoder("utf8");
  private readonly parser;
  private out = "";
  private readonly usageCounts: AnthropicUsage = {};
  private stopReason: string | null | undefined;
  // Tool-use blocks by index.
  private readonly tools = new Map<number, { id: string; name: string }>();
  private finished: LanguageModelV3Usage | undefined;

  constructor(
    private readonly options: { meta: CompletionMeta; includeUsage: boolean; providerLabel: string },
  ) {
    this.encoder = createChunkEncoder(options.meta, options.includeUsage);
    this.parser = createParser({ onEvent: (event) => this.onEvent(event) });
  }

  headers(_upstream: UpstreamHeaders): Record<string, string> {
    return { "content-type": "text/event-stream" };
  }

  data(chunk: Buffer): string {
    this.parser.feed(this.decoder.write(chunk));
    const out = this.out;
    this.out = "";
    return out;
  }

  end(): string {
    this.parser.feed(this.decoder.end());
    // A stream cut short of message_stop still gets its finish events.
    if (!this.finished && !this.error) this.finish();
    const out = this.out;
    this.out = "";
    return out;
  }

  usage(): TokenUsage | undefined {
    return this.finished && toTokenUsage(this.finished);
  }

  private emit(part: LanguageModelV3StreamPart): void {
    this.out += this.encoder.encode(part);
  }

  private onEvent(message: EventSourceMessage): void {
    if (this.error) return;
    const event = JSON.parse(message.data) as AnthropicEvent;
    switch (event.type) {
      case "message_start":
        Object.assign(this.usageCounts, event.message?.usage);
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block?.type === "tool_use" && block.id && block.name) {
          this.tools.set(event.index ?? 0, { id: block.id, name: block.name });
          this.emit({ type: "tool-input-start", id: block.id, toolName: block.name });
        }
        break;
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta?.type === "text_delta" && delta.text) {
          this.emit({ type: "text-delta", id: String(event.index ?? 0), delta: delta.text });
        } else if (delta?.type === "thinking_delta" && delta.thinking) {
          this.emit({ type: "reasoning-delta", id: String(event.index ?? 0), delta: delta.thinking });
        } else if (delta?.type === "input_json_delta" && delta.partial_json) {
          const tool = this.tools.get(event.index ?? 0);
          if (tool) this.emit({ type: "tool-input-delta", id: tool.id, delta: delta.partial_json });
        }
        break;
      }
      case "content_block_stop": {
        // The whole call, as the AI SDK reports it: the encoder sends "{}" for one without arguments.
        const tool = this.tools.get(event.index ?? 0);
        if (tool) this.emit({ type: "tool-call", toolCallId: tool.id, toolName: tool.name, input: "{}" });
        break;
      }
      case "message_delta":
        if (event.delta?.stop_reason !== undefined) this.stopReason = event.delta.stop_reason;
        Object.assign(this.usageCounts, definedOnly(event.usage));
        break;
      case "message_stop":
        this.finish();
        break;
      case "error":
        this.error = toStreamError(event.error, this.options.providerLabel);
        break;
    }
  }

  private finish(): void {
    this.finished = toUsage(this.usageCounts);
    this.emit({ type: "finish", finishReason: toFinishReason(this.stopReason), usage: this.finished });
  }
}

class AnthropicMessageRelay implements Relay {
  error: Error | undefined = undefined;
  private readonly chunks: Buffer[] = [];
  private finished: LanguageModelV3Usage | undefined;

  constructor(private readonly options: { meta: CompletionMeta; providerLabel: string }) {}

  headers(_upstream: UpstreamHeaders): Record<string, string> {
    return { "content-type": "application/json" };
  }

  data(chunk: Buffer): string {
    this.chunks.push(chunk);
    return "";
  }

  end(): string {
    const message = JSON.parse(Buffer.concat(this.chunks).toString("utf8")) as {
      type?: string;
      content?: AnthropicBlock[];
      stop_reason?: string | null;
      usage?: AnthropicUsage;
      error?: unknown;
    };
    if (message.type === "error") {
      this.error = toStreamError(message.error, this.options.providerLabel);
      return "";
    }
    const content: LanguageModelV3Content[] = [];
    for (const block of message.content ?? []) {
      if (block.type === "text" && block.text) content.push({ type: "text", text: block.text });
      else if (block.type === "thinking" && block.thinking)
        content.push({ type: "reasoning", text: block.thinking });
      else if (block.type === "tool_use" && block.id && block.name) {
        content.push({
          type: "tool-call",
          toolCallId: block.id,
          toolName: block.name,
          input: JSON.stringify(block.input ?? {}),
        });
      }
    }
    this.finished = toUsage(message.usage ?? {});
    return JSON.stringify(
      toChatCompletion(
        { content, finishReason: toFinishReason(message.stop_reason), usage: this.finished, warnings: [] },
        this.options.meta,
      ),
    );
  }

  usage(): TokenUsage | undefined {
    return this.finished && toTokenUsage(this.finished);
  }
}

// Anthropic's input_tokens leaves out what was read from or written to the prompt cache.
function toUsage(usage: AnthropicUsage): LanguageModelV3Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const input = usage.input_tokens;
  return {
    inputTokens: {
      total: input === undefined ? undefined : input + cacheRead + cacheWrite,
      noCache: input,
      cacheRead,
      cacheWrite,
    },
    outputTokens: { total: usage.output_tokens, text: undefined, reasoning: undefined },
  };
}

// As the AI SDK's Anthropic provider maps them.
function toFinishReason(reason: string | null | undefined): LanguageModelV3FinishReason {
  const raw = reason ?? undefined;
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return { unified: "stop", raw };
    case "refusal":
      return { unified: "content-filter", raw };
    case "tool_use":
      return { unified: "tool-calls", raw };
    case "max_tokens":
    case "model_context_window_exceeded":
      return { unified: "length", raw };
    default:
      return { unified: "other", raw };
  }
}

function definedOnly(usage: AnthropicUsage | undefined): AnthropicUsage {
  const out: AnthropicUsage = {};
  if (!usage) return out;
  for (const [key, value] of Object.entries(usage)) {
    if (value !== null && value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
