import type {
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import type { Relay, UpstreamHeaders } from "./relay-upstream.ts";
import type { PartEncoder } from "./stream-model-answer.ts";
import { toFinishReason } from "./to-finish-reason.ts";
import { toStreamError } from "./to-stream-error.ts";
import { toTokenUsage } from "./to-token-usage.ts";

/** How one upstream protocol's answers are read into the provider layer's parts. */
export interface AnswerReader {
  /** A streamed answer, read as its bytes arrive. */
  stream(onPart: (part: LanguageModelV3StreamPart) => void): { write(chunk: Buffer): void; end(): void };
  /** A whole answer, or the error the upstream sent in its place. */
  whole(
    text: string,
  ): { result: LanguageModelV3GenerateResult; error?: undefined } | { result?: undefined; error: unknown };
}

/** Writes a streamed answer's parts in the client's dialect. */
interface StreamEncoder extends PartEncoder {
  /** How the dialect ends a stream that failed mid-way (Relay.failure). */
  failure?(message: string): string;
  /** The stream's media type; default text/event-stream. */
  contentType?: string;
}

/**
 * An upstream's answer in the client's dialect, read straight from its bytes by `reader` (the
 * request was built by the AI SDK and captured): the fast path that skips the SDK's response
 * parsing and web-stream pipeline. `encoder` (streams) or `whole` writes the parts as the client
 * reads them.
 */
export function createAnswerRelay(options: {
  reader: AnswerReader;
  providerLabel: string;
  /** Set for a streamed answer. */
  encoder?: StreamEncoder;
  /** A whole answer as the client's body. */
  whole(result: LanguageModelV3GenerateResult): string;
}): Relay {
  const { reader, providerLabel, encoder } = options;
  let error: Error | undefined;
  let finishReason: string | undefined;
  if (encoder) {
    let out = "";
    const stream = reader.stream((part) => {
      if (part.type === "error") error = toStreamError(part.error, providerLabel);
      else {
        if (part.type === "finish") finishReason = toFinishReason(part.finishReason);
        out += encoder.encode(part);
      }
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
      headers: (_upstream: UpstreamHeaders) => ({
        "content-type": encoder.contentType ?? "text/event-stream",
      }),
      data(chunk) {
        stream.write(chunk);
        return take();
      },
      end() {
        stream.end();
        return take();
      },
      usage: () => encoder.usage && toTokenUsage(encoder.usage),
      finishReason: () => finishReason,
      ...(encoder.failure && { failure: (message: string) => encoder.failure!(message) }),
    };
  }
  const chunks: Buffer[] = [];
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
      const answer = reader.whole(Buffer.concat(chunks).toString("utf8"));
      if (answer.result === undefined) {
        error = toStreamError(answer.error, providerLabel);
        return "";
      }
      usage = answer.result.usage;
      finishReason = toFinishReason(answer.result.finishReason);
      return options.whole(answer.result);
    },
    usage: () => usage && toTokenUsage(usage),
    finishReason: () => finishReason,
  };
}
