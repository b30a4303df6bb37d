import type { ServerResponse } from "node:http";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { AttemptState } from "../v1/attempt-state.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { toStreamError } from "../v1/to-stream-error.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import type { OllamaCallRequest } from "./convert-ollama-chat-request.ts";
import type { createOllamaEncoder } from "./create-ollama-encoder.ts";
import { ollamaDialect } from "./ollama-dialect.ts";

interface TranslateOptions {
  model: LanguageModelV3;
  request: OllamaCallRequest;
  encoder: ReturnType<typeof createOllamaEncoder>;
  stream: boolean;
  res: ServerResponse;
  timeoutMs: number;
  extraHeaders: Record<string, string>;
  state: AttemptState;
  providerLabel: string;
}

/**
 * Answers an Ollama /api/chat or /api/generate request through the provider layer (the AI SDK
 * model's doStream, or doGenerate for `stream: false`), as NDJSON lines or one object. Nothing is sent before
 * the first content, so a failure before it leaves the caller free to retry or fall back; one
 * after it ends the stream with Ollama's `{"error": ...}` line.
 */
export async function translateOllamaChat(options: TranslateOptions): Promise<RelayResult> {
  const { encoder, res, state, stream } = options;
  const controller = new AbortController();
  state.upstream = controller;
  const timer = setTimeout(
    () =>
      controller.abort(new DOMException(`No complete answer within ${options.timeoutMs} ms`, "TimeoutError")),
    options.timeoutMs,
  );
  const start = (contentType: string, length?: number) => {
    res.writeHead(200, {
      ...options.extraHeaders,
      "content-type": contentType,
      ...(length === undefined ? { "cache-control": "no-cache" } : { "content-length": length }),
    });
    state.committed = true;
    state.firstByteAt = performance.now();
  };
  const fail = (error: Error): RelayResult => {
    if (!res.destroyed) res.end(`${JSON.stringify(ollamaDialect.toErrorResponse(error).body)}\n`);
    return { usage: undefined, lateError: error };
  };
  try {
    const callOptions = { ...options.request.callOptions, abortSignal: controller.signal };
    if (!stream) {
      // The answer comes whole: its time is counted as evaluation, none as loading.
      encoder.opened();
      const result = await options.model.doGenerate(callOptions);
      for (const part of result.content) {
        if (part.type === "text") encoder.line({ type: "text-delta", id: "", delta: part.text });
        else if (part.type === "reasoning")
          encoder.line({ type: "reasoning-delta", id: "", delta: part.text });
        else if (part.type === "tool-call") encoder.line(part);
      }
      encoder.line({ type: "finish", usage: result.usage, finishReason: result.finishReason });
      const body = encoder.whole();
      start("application/json; charset=utf-8", Buffer.byteLength(body));
      res.end(body);
      return { usage: toTokenUsage(result.usage), lateError: undefined };
    }
    const { stream: parts } = await options.model.doStream(callOptions);
    encoder.opened();
    const reader = parts.getReader();
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        if (part.type === "error") {
          const error = toStreamError(part.error, options.providerLabel);
          if (!state.committed) throw error;
          return fail(error);
        }
        const line = encoder.line(part);
        if (line === "") continue;
        if (!state.committed) start("application/x-ndjson");
        state.streamedEvents++;
        if (!res.write(line)) await new Promise((resolve) => res.once("drain", resolve));
      }
    } finally {
      reader.releaseLock();
    }
    // A stream with no content at all: still a well-formed, empty answer.
    if (!state.committed) start("application/x-ndjson");
    res.end(encoder.finish());
    const usage = encoder.usage();
    return { usage: usage && toTokenUsage(usage), lateError: undefined };
  } catch (error) {
    if (!state.committed) throw error;
    return fail(error instanceof Error ? error : new Error(String(error)));
  } finally {
    clearTimeout(timer);
  }
}
