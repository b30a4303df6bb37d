import type {
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { checkPromptUrls } from "../v1/check-prompt-urls.ts";
import { createAnthropicAnswerRelay } from "../v1/create-anthropic-answer-relay.ts";
import { createCallTimeout } from "../v1/create-call-timeout.ts";
import type { RequestCapture } from "../v1/create-request-capture.ts";
import { relayCapturedCall } from "../v1/relay-captured-call.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { sendWholeAnswer } from "../v1/send-whole-answer.ts";
import { streamModelAnswer } from "../v1/stream-model-answer.ts";
import { toFinishReason } from "../v1/to-finish-reason.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import type { TranslationOptions } from "../v1/translation-options.ts";
import { createResponsesEventEncoder } from "./create-responses-event-encoder.ts";
import { mapResponsesStatus } from "./map-responses-status.ts";
import { type ResponseMeta, toResponseObject } from "./to-response-object.ts";
import { toResponsesOutput } from "./to-responses-output.ts";
import { toResponsesUsage } from "./to-responses-usage.ts";

interface TranslateResponseOptions extends TranslationOptions {
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
  meta: ResponseMeta;
  /** Set for Anthropic: the AI SDK builds the request, the gateway sends it and reads the answer. */
  capture: RequestCapture | undefined;
  /** Called with the finished Response object (not for failed ones), before the answer ends. */
  finished(response: ReturnType<typeof toResponseObject>): void;
}

/**
 * Serves a Responses API request through the provider layer: the AI SDK model's
 * doGenerate/doStream (for Anthropic, the SDK's request with the answer read from its bytes),
 * answered as a Response object or its events. As with forwarding, nothing is sent before the
 * first content part of a stream, so an error before it leaves the caller free to retry or fall
 * back; one after it ends the stream with `response.failed`.
 */
export async function translateResponse(options: TranslateResponseOptions): Promise<RelayResult> {
  const { model, callOptions, meta, res, state } = options;
  const { stream } = meta.request;
  await checkPromptUrls(model, callOptions.prompt, "input");
  const encoder = stream ? createStreamEncoder(options) : undefined;
  const whole = (result: LanguageModelV3GenerateResult) => {
    const { status, incomplete_details } = mapResponsesStatus(result.finishReason);
    const response = toResponseObject(meta, {
      status,
      output: toResponsesOutput(result.content, meta.request.parallelToolCalls, status),
      usage: toResponsesUsage(result.usage),
      incompleteDetails: incomplete_details,
      error: null,
    });
    options.finished(response);
    return JSON.stringify(response);
  };
  // JSON answers are left to the SDK: for Anthropic it may ask for them as a tool call it unwraps.
  if (options.capture && callOptions.responseFormat?.type !== "json") {
    return relayCapturedCall({
      model,
      callOptions,
      capture: options.capture,
      relay: createAnthropicAnswerRelay({ providerLabel: options.providerLabel, encoder, whole }),
      res,
      stream,
      timeoutMs: options.timeoutMs,
      extraHeaders: options.extraHeaders,
      state,
    });
  }
  const deadline = createCallTimeout(state, options.timeoutMs);
  try {
    const call = { ...callOptions, abortSignal: deadline.signal };
    if (!encoder) {
      const result = await model.doGenerate(call);
      const body = whole(result);
      sendWholeAnswer(res, state, { ...options.extraHeaders, "content-type": "application/json" }, body);
      return {
        usage: toTokenUsage(result.usage),
        finishReason: toFinishReason(result.finishReason),
        lateError: undefined,
      };
    }
    const { stream: parts } = await model.doStream(call);
    return await streamModelAnswer(options, {
      parts,
      encoder,
      contentType: "text/event-stream",
      failure: (error) => encoder.failure(toOpenAIError(error).body.error.message),
      end: () => {
        if (!encoder.finished)
          throw new Error(`${options.providerLabel} ended its answer without finishing it`);
        return "";
      },
    });
  } finally {
    deadline.clear();
  }
}

// The event encoder as both paths use it: the opening events go out with the first content (so a
// failure before it can still be retried), and the finished Response is handed over at the end.
function createStreamEncoder(options: TranslateResponseOptions) {
  const encoder = createResponsesEventEncoder(options.meta, options.meta.request.parallelToolCalls);
  let opening = encoder.start();
  return {
    encode(part: LanguageModelV3StreamPart): string {
      const text = encoder.encode(part);
      if (part.type === "finish" && encoder.response) options.finished(encoder.response);
      if (text === "" || opening === "") return text;
      const first = opening + text;
      opening = "";
      return first;
    },
    get usage() {
      return encoder.usage;
    },
    get finished() {
      return encoder.response !== undefined;
    },
    failure: (message: string) => encoder.fail(message),
  };
}
