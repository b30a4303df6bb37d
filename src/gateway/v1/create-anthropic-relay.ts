import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import { convertAnthropicMessage } from "../anthropic/convert-anthropic-message.ts";
import { createAnthropicStreamReader } from "../anthropic/create-anthropic-stream-reader.ts";
import { createChunkEncoder } from "../openai/create-chunk-encoder.ts";
import { type CompletionMeta, toChatCompletion } from "../openai/to-chat-completion.ts";
import type { Relay, UpstreamHeaders } from "./relay-upstream.ts";
import { toStreamError } from "./to-stream-error.ts";
import { toTokenUsage } from "./to-token-usage.ts";

/**
 * Anthropic's Messages API answer (SSE events, or one JSON message) as an OpenAI chat completion,
 * read straight from the bytes: the gateway's fast path for Anthropic, which skips the AI SDK's
 * web-stream pipeline (about 1 ms of CPU per streamed answer). The Anthropic reader (anthropic/)
 * gives the provider layer's parts, the OpenAI encoder (openai/) writes them; the request itself
 * is built by the AI SDK.
 */
export function createAnthropicRelay(options: {
  meta: CompletionMeta;
  stream: boolean;
  includeUsage: boolean;
  providerLabel: string;
}): Relay {
  return options.stream ? streamRelay(options) : messageRelay(options);
}

function streamRelay(options: { meta: CompletionMeta; includeUsage: boolean; providerLabel: string }): Relay {
  const encoder = createChunkEncoder(options.meta, options.includeUsage);
  let out = "";
  let error: Error | undefined;
  const reader = createAnthropicStreamReader((part) => {
    if (part.type === "error") error = toStreamError(part.error, options.providerLabel);
    else out += encoder.encode(part);
  });
  const take = () => {
    const text = out;
    out = "";
    return text;
  };
  return {
    get error() {
      return error;
    },
    headers: (_upstream: UpstreamHeaders) => ({ "content-type": "text/event-stream" }),
    data(chunk) {
      reader.write(chunk);
      return take();
    },
    end() {
      reader.end();
      return take();
    },
    usage: () => encoder.usage && toTokenUsage(encoder.usage),
  };
}

function messageRelay(options: { meta: CompletionMeta; providerLabel: string }): Relay {
  const chunks: Buffer[] = [];
  let error: Error | undefined;
  let usage: LanguageModelV3Usage | undefined;
  return {
    get error() {
      return error;
    },
    headers: (_upstream: UpstreamHeaders) => ({ "content-type": "application/json" }),
    data(chunk) {
      chunks.push(chunk);
      return "";
    },
    end() {
      const message = convertAnthropicMessage(Buffer.concat(chunks).toString("utf8"));
      if (message.result === undefined) {
        error = toStreamError(message.error, options.providerLabel);
        return "";
      }
      usage = message.result.usage;
      return JSON.stringify(toChatCompletion(message.result, options.meta));
    },
    usage: () => usage && toTokenUsage(usage),
  };
}
