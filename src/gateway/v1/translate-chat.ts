import { createChunkEncoder } from "../openai/create-chunk-encoder.ts";
import type { ChatRequest } from "../openai/parse-chat-request.ts";
import { type CompletionMeta, toChatCompletion } from "../openai/to-chat-completion.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { checkPromptUrls } from "./check-prompt-urls.ts";
import { createAnthropicRelay } from "./create-anthropic-relay.ts";
import { createCallTimeout } from "./create-call-timeout.ts";
import type { RequestCapture } from "./create-request-capture.ts";
import { relayCapturedCall } from "./relay-captured-call.ts";
import type { RelayResult } from "./relay-upstream.ts";
import { sendWholeAnswer } from "./send-whole-answer.ts";
import { streamModelAnswer } from "./stream-model-answer.ts";
import { toFinishReason } from "./to-finish-reason.ts";
import { toTokenUsage } from "./to-token-usage.ts";
import type { TranslationOptions } from "./translation-options.ts";

interface TranslateOptions extends TranslationOptions {
  request: ChatRequest;
  meta: CompletionMeta;
  /** Set for Anthropic: the AI SDK builds the request, the gateway sends it and reads the answer. */
  capture: RequestCapture | undefined;
}

/**
 * Serves a chat completion through the provider layer: the AI SDK model's doGenerate/doStream,
 * called directly (no streamText), answered in the OpenAI format. As with forwarding, nothing is
 * sent before the first content part, so an error before it leaves the caller free to retry.
 */
export async function translateChat(options: TranslateOptions): Promise<RelayResult> {
  const { model, request, res, state } = options;
  await checkPromptUrls(model, request.callOptions.prompt, "messages");
  // JSON answers are left to the SDK: for Anthropic it may ask for them as a tool call it unwraps.
  if (options.capture && request.callOptions.responseFormat?.type !== "json") {
    return relayCapturedCall({
      model,
      callOptions: request.callOptions,
      capture: options.capture,
      relay: createAnthropicRelay({
        meta: options.meta,
        stream: request.stream,
        includeUsage: request.includeUsage,
        providerLabel: options.providerLabel,
      }),
      res,
      stream: request.stream,
      timeoutMs: options.timeoutMs,
      extraHeaders: options.extraHeaders,
      state,
    });
  }
  const deadline = createCallTimeout(state, options.timeoutMs);
  try {
    const callOptions = { ...request.callOptions, abortSignal: deadline.signal };
    if (!request.stream) {
      const result = await model.doGenerate(callOptions);
      const body = JSON.stringify(toChatCompletion(result, options.meta));
      sendWholeAnswer(res, state, { ...options.extraHeaders, "content-type": "application/json" }, body);
      return {
        usage: toTokenUsage(result.usage),
        finishReason: toFinishReason(result.finishReason),
        lateError: undefined,
      };
    }
    const { stream } = await model.doStream(callOptions);
    return await streamModelAnswer(options, {
      parts: stream,
      encoder: createChunkEncoder(options.meta, request.includeUsage),
      contentType: "text/event-stream",
      failure: (error) => `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`,
    });
  } finally {
    deadline.clear();
  }
}
