import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { noteStickyKeys } from "../pools/note-sticky-keys.ts";
import { answerWithFallbacks } from "../v1/answer-with-fallbacks.ts";
import { AttemptState } from "../v1/attempt-state.ts";
import { capturedAnswerReader } from "../v1/captured-answer-reader.ts";
import type { ModelRoute } from "../v1/create-model-routes.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { nameIgnoredFields } from "../v1/name-ignored-fields.ts";
import { readChatRequest } from "../v1/read-chat-request.ts";
import { headerValue, type RelayResult } from "../v1/relay-upstream.ts";
import { requestWorstCase } from "../v1/request-worst-case.ts";
import { translationOptions } from "../v1/translation-options.ts";
import { anthropicDialect } from "./anthropic-dialect.ts";
import {
  type AnthropicCallRequest,
  convertAnthropicRequestToCallOptions,
} from "./convert-anthropic-request-to-call-options.ts";
import { createAnthropicPassthroughRelay } from "./create-anthropic-passthrough-relay.ts";
import { forwardToAnthropic } from "./forward-to-anthropic.ts";
import { translateAnthropicMessage } from "./translate-anthropic-message.ts";

/**
 * POST /v1/messages: Anthropic models get the client's bytes (model name rewritten) and their
 * answer's bytes back; other models a translation through the provider layer, with what it
 * could not pass on named in `x-llmux-ignored`. Keys, budgets, retries, fallbacks, the usage log
 * and metrics as for /v1/chat/completions.
 */
export async function handleAnthropicMessages(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  const { body, json, name } = await readChatRequest(context, req, key, {
    modelHint: "give a model name, e.g. anthropic:claude-sonnet-4-5",
    messages: "messages: give an array of messages",
    stream: "stream: expected a boolean",
  });

  const stream = json.stream === true;
  const state = new AttemptState(res);
  noteStickyKeys(state, req, (json.metadata as { user_id?: unknown } | undefined)?.user_id);
  // The translated answer's id, made only when one is translated (passthrough keeps Anthropic's).
  let id: string | undefined;
  let translated: AnthropicCallRequest | undefined;

  const attempt = (route: ModelRoute): Promise<RelayResult> => {
    const extraHeaders: Record<string, string> = { "x-llmux-model": route.resolved.reference };
    if (route.resolved.provider === "anthropic") {
      const { modelId } = route.resolved;
      return forwardToAnthropic({
        context,
        route,
        req,
        path: "/messages",
        body: json.model === modelId ? body : JSON.stringify({ ...json, model: modelId }),
        relay: (url) => createAnthropicPassthroughRelay(url, stream),
        res,
        stream,
        extraHeaders,
        state,
      });
    }
    if (!translated) {
      translated = convertAnthropicRequestToCallOptions(json, headerValue(req.headers["anthropic-beta"]));
      for (const field of translated.ignored) context.metrics.ignored(anthropicDialect.name, field);
    }
    nameIgnoredFields(extraHeaders, translated.ignored);
    id ??= `msg_${randomUUID().replaceAll("-", "")}`;
    return translateAnthropicMessage({
      ...translationOptions(route, res, state, extraHeaders),
      request: translated,
      meta: { id, model: route.resolved.reference },
      // OpenAI's answers are read from the bytes (the AI SDK's response pipeline costs more than the rest).
      reader: capturedAnswerReader(context, route),
      capture: context.capture,
    });
  };

  await answerWithFallbacks(context, {
    route: "messages",
    dialect: anthropicDialect,
    name,
    key,
    started,
    stream,
    res,
    state,
    worstCase: () =>
      requestWorstCase(
        body,
        typeof json.max_tokens === "number" && json.max_tokens > 0 ? Math.ceil(json.max_tokens) : undefined,
      ),
    attempt,
    json,
  });
}
