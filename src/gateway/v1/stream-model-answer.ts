import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { RelayResult } from "./relay-upstream.ts";
import { toFinishReason } from "./to-finish-reason.ts";
import { toStreamError } from "./to-stream-error.ts";
import { toTokenUsage } from "./to-token-usage.ts";
import type { TranslationOptions } from "./translation-options.ts";

/** Writes the provider layer's stream parts in the client's dialect. */
export interface PartEncoder {
  /** The client's bytes for one part; "" for parts its dialect has nothing for. */
  encode(part: LanguageModelV3StreamPart): string;
  /** The usage the finish part reported, once it has come. */
  readonly usage: LanguageModelV3Usage | undefined;
}

/**
 * Writes a translated stream (the AI SDK model's doStream parts) to the client through the
 * dialect's `encoder`. Nothing is sent before the first content, so a failure before it is thrown
 * and the caller is still free to retry or fall back; one after it ends the stream with the
 * dialect's `failure` bytes.
 */
export async function streamModelAnswer(
  translation: Pick<TranslationOptions, "res" | "extraHeaders" | "state" | "providerLabel">,
  options: {
    parts: ReadableStream<LanguageModelV3StreamPart>;
    encoder: PartEncoder;
    /** text/event-stream, or application/x-ndjson (Ollama's: one event a line). */
    contentType: string;
    /** The dialect's last bytes of a stream that failed mid-way. */
    failure(error: Error): string;
    /** The dialect's last bytes of a stream that ended; throws where such an end is a failure. */
    end?(): string;
  },
): Promise<RelayResult> {
  const { res, state } = translation;
  const { encoder } = options;
  const ndjson = options.contentType === "application/x-ndjson";
  const commit = () => {
    res.writeHead(200, {
      ...translation.extraHeaders,
      "content-type": options.contentType,
      "cache-control": "no-cache",
    });
    state.committed = true;
    state.firstByteAt = performance.now();
  };
  const reader = options.parts.getReader();
  let finishReason: string | undefined;
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      if (part.type === "error") throw toStreamError(part.error, translation.providerLabel);
      if (part.type === "finish") finishReason = toFinishReason(part.finishReason);
      const text = encoder.encode(part);
      if (text === "") continue;
      if (!state.committed) commit();
      // An NDJSON line is one event; server-sent events are counted by their data: fields.
      if (ndjson) state.streamedEvents++;
      else state.countEvents(text);
      if (!res.write(text)) await new Promise((resolve) => res.once("drain", resolve));
    }
    // The usage the upstream reported, read before end() can make up a finish it never sent.
    const usage = encoder.usage;
    const last = options.end?.() ?? "";
    // A stream with no content at all: still a well-formed answer.
    if (!state.committed) commit();
    res.end(last);
    return { usage: usage && toTokenUsage(usage), finishReason, lateError: undefined };
  } catch (caught) {
    if (!state.committed) throw caught;
    const error = caught instanceof Error ? caught : new Error(String(caught));
    if (!res.destroyed) res.end(options.failure(error));
    return { usage: undefined, lateError: error };
  } finally {
    reader.releaseLock();
  }
}
