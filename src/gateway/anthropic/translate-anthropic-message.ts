import type { ServerResponse } from "node:http";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { convertOpenAICompletion } from "../openai/convert-openai-completion.ts";
import { createOpenAIStreamReader } from "../openai/create-openai-stream-reader.ts";
import type { AttemptState } from "../v1/attempt-state.ts";
import { checkPromptUrls } from "../v1/check-prompt-urls.ts";
import { createAnswerRelay } from "../v1/create-answer-relay.ts";
import { createCallTimeout } from "../v1/create-call-timeout.ts";
import type { RequestCapture } from "../v1/create-request-capture.ts";
import { relayCapturedCall } from "../v1/relay-captured-call.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { toStreamError } from "../v1/to-stream-error.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import type { AnthropicCallRequest } from "./convert-anthropic-request-to-call-options.ts";
import { createAnthropicEventEncoder } from "./create-anthropic-event-encoder.ts";
import { toAnthropicErrorEvent } from "./to-anthropic-error-event.ts";
import { type AnthropicMessageMeta, toAnthropicMessage } from "./to-anthropic-message.ts";

interface TranslateOptions {
  model: LanguageModelV3;
  request: AnthropicCallRequest;
  meta: AnthropicMessageMeta;
  res: ServerResponse;
  timeoutMs: number;
  /** Headers added to the answer (x-llmux-model, x-llmux-ignored). */
  extraHeaders: Record<string, string>;
  state: AttemptState;
  /** Names the provider in errors its stream reports. */
  providerLabel: string;
  /** Set for OpenAI-compatible APIs: the AI SDK builds the request, the gateway sends it and reads the answer. */
  capture: RequestCapture | undefined;
}

/**
 * Serves a Messages API request through the provider layer (doGenerate/doStream of a model that
 * does not speak Anthropic's protocol), answered as an Anthropic message or event stream. Nothing
 * is sent before the first content part, so an error before it can still be retried or fall back;
 * one after it ends the stream with an `error` event, as Anthropic's own do.
 */
export async function translateAnthropicMessage(options: TranslateOptions): Promise<RelayResult> {
  const { model, request, res, state } = options;
  await checkPromptUrls(model, request.callOptions.prompt, "messages");
  if (options.capture) {
    const label = options.providerLabel;
    return relayCapturedCall({
      model,
      callOptions: request.callOptions,
      capture: options.capture,
      relay: createAnswerRelay({
        reader: {
          stream: (onPart) => createOpenAIStreamReader(onPart, label),
          whole: (text) => convertOpenAICompletion(text, label),
        },
        providerLabel: label,
        encoder: request.stream ? createAnthropicEventEncoder(options.meta) : undefined,
        whole: (result) => JSON.stringify(toAnthropicMessage(result, options.meta)),
      }),
      res,
      stream: request.stream,
      timeoutMs: options.timeoutMs,
      extraHeaders: options.extraHeaders,
      state,
    });
  }
  const call = createCallTimeout(state, options.timeoutMs);
  const commit = (contentType: string) => {
    res.writeHead(200, {
      ...options.extraHeaders,
      "content-type": contentType,
      ...(request.stream && { "cache-control": "no-cache" }),
    });
    state.committed = true;
    state.firstByteAt = performance.now();
  };
  try {
    const callOptions = { ...request.callOptions, abortSignal: call.signal };
    if (!request.stream) {
      const result = await model.doGenerate(callOptions);
      commit("application/json");
      res.end(JSON.stringify(toAnthropicMessage(result, options.meta)));
      return { usage: toTokenUsage(result.usage), lateError: undefined };
    }
    const { stream } = await model.doStream(callOptions);
    const encoder = createAnthropicEventEncoder(options.meta);
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        if (part.type === "error") throw toStreamError(part.error, options.providerLabel);
        const text = encoder.encode(part);
        if (text === "") continue;
        if (!state.committed) commit("text/event-stream");
        state.countEvents(text);
        if (!res.write(text)) await new Promise((resolve) => res.once("drain", resolve));
      }
    } catch (error) {
      if (!state.committed) throw error;
      if (!res.destroyed) res.end(toAnthropicErrorEvent(error));
      return { usage: undefined, lateError: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      reader.releaseLock();
    }
    // A stream that ended without its finish part still ends as Anthropic's do.
    if (!encoder.usage) {
      const text = encoder.encode({
        type: "finish",
        finishReason: { unified: "other", raw: undefined },
        usage: {
          inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: undefined, text: undefined, reasoning: undefined },
        },
      });
      if (!state.committed) commit("text/event-stream");
      res.end(text);
      return { usage: undefined, lateError: undefined };
    }
    res.end();
    return { usage: toTokenUsage(encoder.usage), lateError: undefined };
  } finally {
    call.clear();
  }
}
