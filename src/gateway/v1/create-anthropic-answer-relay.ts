import type {
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { convertAnthropicMessage } from "../anthropic/convert-anthropic-message.ts";
import { createAnthropicStreamReader } from "../anthropic/create-anthropic-stream-reader.ts";
import type { Relay, UpstreamHeaders } from "./relay-upstream.ts";
import { toStreamError } from "./to-stream-error.ts";
import { toTokenUsage } from "./to-token-usage.ts";

/** Writes a streamed answer's parts in the client's dialect. */
interface StreamEncoder {
  /** The client's bytes for one part; "" for parts its dialect has nothing for. */
  encode(part: LanguageModelV3StreamPart): string;
  /** The usage the finish part reported, once it has come. */
  readonly usage: LanguageModelV3Usage | undefined;
  /** How the dialect ends a stream that failed mid-way (Relay.failure). */
  failure?(message: string): string;
}

/**
 * Anthropic's Messages API answer (SSE events, or one JSON message) in the client's dialect, read
 * straight from the bytes: the gateway's fast path for Anthropic, which skips the AI SDK's
 * web-stream pipeline (about 1 ms of CPU per streamed answer). The Anthropic reader (anthropic/)
 * gives the provider layer's parts; `encoder` (streams) or `whole` writes them as the client
 * reads them. The request itself is built by the AI SDK.
 */
export function createAnthropicAnswerRelay(options: {
  providerLabel: string;
  /** Set for a streamed answer. */
  encoder?: StreamEncoder;
  /** A whole answer as the client's body. */
  whole(result: LanguageModelV3GenerateResult): string;
}): Relay {
  return options.encoder
    ? streamRelay(options.encoder, options.providerLabel)
    : messageRelay(options.whole, options.providerLabel);
}

function streamRelay(encoder: StreamEncoder, providerLabel: string): Relay {
  let out = "";
  let error: Error | undefined;
  const reader = createAnthropicStreamReader((part) => {
    if (part.type === "error") error = toStreamError(part.error, providerLabel);
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
    ...(encoder.failure && { failure: (message: string) => encoder.failure!(message) }),
  };
}

function messageRelay(
  whole: (result: LanguageModelV3GenerateResult) => string,
  providerLabel: string,
): Relay {
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
        error = toStreamError(message.error, providerLabel);
        return "";
      }
      usage = message.result.usage;
      return whole(message.result);
    },
    usage: () => usage && toTokenUsage(usage),
  };
}
