import type { ServerResponse } from "node:http";
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import type { AttemptState } from "../v1/attempt-state.ts";
import { checkPromptUrls } from "../v1/check-prompt-urls.ts";
import { createCallTimeout } from "../v1/create-call-timeout.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { toStreamError } from "../v1/to-stream-error.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import { createResponsesEventEncoder } from "./create-responses-event-encoder.ts";
import { mapResponsesStatus } from "./map-responses-status.ts";
import { type ResponseMeta, toResponseObject } from "./to-response-object.ts";
import { toResponsesOutput } from "./to-responses-output.ts";
import { toResponsesUsage } from "./to-responses-usage.ts";

interface TranslateResponseOptions {
  model: LanguageModelV3;
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
  meta: ResponseMeta;
  res: ServerResponse;
  timeoutMs: number;
  extraHeaders: Record<string, string>;
  state: AttemptState;
  /** Names the provider in errors its stream reports. */
  providerLabel: string;
  /** Called with the finished Response object (not for failed ones), before the answer ends. */
  finished(response: ReturnType<typeof toResponseObject>): void;
}

/**
 * Serves a Responses API request through the provider layer: the AI SDK model's
 * doGenerate/doStream, answered as a Response object or its events. As with forwarding, nothing
 * is sent before the first content part of a stream, so an error before it leaves the caller
 * free to retry or fall back.
 */
export async function translateResponse(options: TranslateResponseOptions): Promise<RelayResult> {
  const { model, callOptions, meta, res, state } = options;
  await checkPromptUrls(model, callOptions.prompt, "input");
  const deadline = createCallTimeout(state, options.timeoutMs);
  try {
    const call = { ...callOptions, abortSignal: deadline.signal };
    const { parallelToolCalls } = meta.request;
    if (!meta.request.stream) {
      const result = await model.doGenerate(call);
      const { status, incomplete_details } = mapResponsesStatus(result.finishReason);
      const response = toResponseObject(meta, {
        status,
        output: toResponsesOutput(result.content, parallelToolCalls),
        usage: toResponsesUsage(result.usage),
        incompleteDetails: incomplete_details,
        error: null,
      });
      options.finished(response);
      res.writeHead(200, { ...options.extraHeaders, "content-type": "application/json" });
      state.committed = true;
      state.firstByteAt = performance.now();
      res.end(JSON.stringify(response));
      return { usage: toTokenUsage(result.usage), lateError: undefined };
    }
    const { stream } = await model.doStream(call);
    const encoder = createResponsesEventEncoder(meta, parallelToolCalls);
    // The opening events go out with the first content, so a failure before it can still be retried.
    const opening = encoder.start();
    const write = async (text: string) => {
      if (!state.committed) {
        res.writeHead(200, {
          ...options.extraHeaders,
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
        });
        state.committed = true;
        state.firstByteAt = performance.now();
        text = opening + text;
      }
      state.countEvents(text);
      if (!res.write(text)) await new Promise((resolve) => res.once("drain", resolve));
    };
    const lateFailure = (error: unknown): RelayResult => {
      if (!res.destroyed) res.end(encoder.fail(toOpenAIError(error).body.error.message));
      return { usage: undefined, lateError: error instanceof Error ? error : new Error(String(error)) };
    };
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        if (part.type === "error") {
          const error = toStreamError(part.error, options.providerLabel);
          if (!state.committed) throw error;
          return lateFailure(error);
        }
        const text = encoder.encode(part);
        if (part.type === "finish" && encoder.response) options.finished(encoder.response);
        if (text !== "") await write(text);
      }
    } catch (error) {
      if (!state.committed) throw error;
      return lateFailure(error);
    } finally {
      reader.releaseLock();
    }
    if (!encoder.response) {
      const error = new Error(`${options.providerLabel} ended its answer without finishing it`);
      if (!state.committed) throw error;
      return lateFailure(error);
    }
    res.end();
    return { usage: encoder.usage && toTokenUsage(encoder.usage), lateError: undefined };
  } finally {
    deadline.clear();
  }
}
