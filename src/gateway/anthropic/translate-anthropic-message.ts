import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { checkPromptUrls } from "../v1/check-prompt-urls.ts";
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
import type { AnthropicCallRequest } from "./convert-anthropic-request-to-call-options.ts";
import { createAnthropicEventEncoder } from "./create-anthropic-event-encoder.ts";
import { toAnthropicErrorEvent } from "./to-anthropic-error-event.ts";
import { type AnthropicMessageMeta, toAnthropicMessage } from "./to-anthropic-message.ts";

interface TranslateOptions extends TranslationOptions {
  request: AnthropicCallRequest;
  meta: AnthropicMessageMeta;
  /** Set where the gateway can read the answer (capturedAnswerReader): the AI SDK builds the request, the gateway sends it and reads the answer. */
  reader: AnswerReader | undefined;
  capture: RequestCapture;
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
  if (options.reader) {
    return relayCapturedCall({
      model,
      callOptions: request.callOptions,
      capture: options.capture,
      relay: createAnswerRelay({
        reader: options.reader,
        providerLabel: options.providerLabel,
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
  try {
    const callOptions = { ...request.callOptions, abortSignal: call.signal };
    if (!request.stream) {
      const result = await model.doGenerate(callOptions);
      const body = JSON.stringify(toAnthropicMessage(result, options.meta));
      sendWholeAnswer(res, state, { ...options.extraHeaders, "content-type": "application/json" }, body);
      return {
        usage: toTokenUsage(result.usage),
        finishReason: toFinishReason(result.finishReason),
        lateError: undefined,
      };
    }
    const { stream } = await model.doStream(callOptions);
    const encoder = createAnthropicEventEncoder(options.meta);
    return await streamModelAnswer(options, {
      parts: stream,
      encoder,
      contentType: "text/event-stream",
      failure: toAnthropicErrorEvent,
      // A stream that ended without its finish part still ends as Anthropic's do.
      end: () => (encoder.usage ? "" : encoder.encode(MISSING_FINISH)),
    });
  } finally {
    call.clear();
  }
}

const MISSING_FINISH: LanguageModelV3StreamPart = {
  type: "finish",
  finishReason: { unified: "other", raw: undefined },
  usage: {
    inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: undefined, text: undefined, reasoning: undefined },
  },
};
