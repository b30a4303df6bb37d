import type { LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { type AnswerReader, createAnswerRelay } from "../v1/create-answer-relay.ts";
import { createCallTimeout } from "../v1/create-call-timeout.ts";
import type { RequestCapture } from "../v1/create-request-capture.ts";
import { relayCapturedCall } from "../v1/relay-captured-call.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { sendWholeAnswer } from "../v1/send-whole-answer.ts";
import { streamModelAnswer } from "../v1/stream-model-answer.ts";
import { toFinishReason } from "../v1/to-finish-reason.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import type { TranslationOptions } from "../v1/translation-options.ts";
import type { OllamaCallRequest } from "./convert-ollama-chat-request.ts";
import type { createOllamaEncoder } from "./create-ollama-encoder.ts";
import { ollamaDialect } from "./ollama-dialect.ts";

interface TranslateOptions extends TranslationOptions {
  request: OllamaCallRequest;
  encoder: ReturnType<typeof createOllamaEncoder>;
  stream: boolean;
  /** Set when the gateway reads the upstream's answer itself (capturedAnswerReader). */
  captured: { capture: RequestCapture; reader: AnswerReader } | undefined;
}

/**
 * Answers an Ollama /api/chat or /api/generate request through the provider layer (the AI SDK
 * model's doStream, or doGenerate for `stream: false`), as NDJSON lines or one object. Nothing is sent before
 * the first content, so a failure before it leaves the caller free to retry or fall back; one
 * after it ends the stream with Ollama's `{"error": ...}` line.
 */
export async function translateOllamaChat(options: TranslateOptions): Promise<RelayResult> {
  const { encoder, res, state } = options;
  // JSON answers are left to the SDK: for Anthropic it may ask for them as a tool call it unwraps.
  if (options.captured && options.request.callOptions.responseFormat?.type !== "json") {
    encoder.opened();
    return relayCapturedCall({
      model: options.model,
      callOptions: options.request.callOptions,
      capture: options.captured.capture,
      relay: createAnswerRelay({
        reader: options.captured.reader,
        providerLabel: options.providerLabel,
        encoder: options.stream
          ? {
              // The finish part comes last: Ollama's closing line, with the counts, follows it.
              encode: (part) => `${encoder.line(part)}${part.type === "finish" ? encoder.finish() : ""}`,
              get usage() {
                return encoder.usage();
              },
              failure: (message) => `${JSON.stringify({ error: message })}\n`,
              contentType: "application/x-ndjson",
            }
          : undefined,
        whole: (result) => {
          for (const part of result.content) encodeWholePart(encoder, part);
          encoder.line({ type: "finish", usage: result.usage, finishReason: result.finishReason });
          return encoder.whole();
        },
      }),
      res,
      stream: options.stream,
      timeoutMs: options.timeoutMs,
      extraHeaders: options.extraHeaders,
      state,
    });
  }
  const deadline = createCallTimeout(state, options.timeoutMs);
  try {
    const callOptions = { ...options.request.callOptions, abortSignal: deadline.signal };
    if (!options.stream) {
      // The answer comes whole: its time is counted as evaluation, none as loading.
      encoder.opened();
      const result = await options.model.doGenerate(callOptions);
      for (const part of result.content) encodeWholePart(encoder, part);
      encoder.line({ type: "finish", usage: result.usage, finishReason: result.finishReason });
      const body = encoder.whole();
      sendWholeAnswer(
        res,
        state,
        {
          ...options.extraHeaders,
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        },
        body,
      );
      return {
        usage: toTokenUsage(result.usage),
        finishReason: toFinishReason(result.finishReason),
        lateError: undefined,
      };
    }
    const { stream: parts } = await options.model.doStream(callOptions);
    encoder.opened();
    return await streamModelAnswer(options, {
      parts,
      encoder: {
        encode: (part) => encoder.line(part),
        get usage() {
          return encoder.usage();
        },
      },
      contentType: "application/x-ndjson",
      failure: (error) => `${JSON.stringify(ollamaDialect.toErrorResponse(error).body)}\n`,
      end: () => encoder.finish(),
    });
  } finally {
    deadline.clear();
  }
}

// A whole answer's part, added to the encoder's answer as a streamed one would be.
function encodeWholePart(
  encoder: ReturnType<typeof createOllamaEncoder>,
  part: LanguageModelV3GenerateResult["content"][number],
): void {
  if (part.type === "text") encoder.line({ type: "text-delta", id: "", delta: part.text });
  else if (part.type === "reasoning") encoder.line({ type: "reasoning-delta", id: "", delta: part.text });
  else if (part.type === "tool-call") encoder.line(part);
}
