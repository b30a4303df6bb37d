import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkCallCapabilities } from "../../providers/check-call-capabilities.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { type ChatRequest, parseChatRequest } from "../openai/parse-chat-request.ts";
import { noteStickyKeys } from "../pools/note-sticky-keys.ts";
import { answerWithFallbacks } from "./answer-with-fallbacks.ts";
import { AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import { forwardToUpstream } from "./forward-to-upstream.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { readChatRequest } from "./read-chat-request.ts";
import type { RelayResult } from "./relay-upstream.ts";
import { requestWorstCase } from "./request-worst-case.ts";
import { translateChat } from "./translate-chat.ts";
import { translationOptions } from "./translation-options.ts";

/**
 * POST /v1/chat/completions: OpenAI-compatible upstreams get the client's bytes (model name
 * rewritten, include_usage added for the usage log), others a translation through the provider
 * layer; retries and fallbacks happen while nothing has reached the client.
 */
export async function handleChatCompletion(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  const { body, json, name } = await readChatRequest(context, req, key, {
    modelHint: "give a model name, e.g. openai:gpt-4.1-mini",
    messages: "Missing or invalid messages: give an array of messages",
    stream: "Invalid value for stream: expected a boolean",
    code: "invalid_value",
  });

  const stream = json.stream === true;
  const options = json.stream_options as { include_usage?: unknown } | null | undefined;
  const clientWantsUsage = stream && options?.include_usage === true;
  const state = new AttemptState(res);
  noteStickyKeys(state, req, json.user, json.prompt_cache_key);
  let chatRequest: ChatRequest | undefined;
  const created = Math.floor(Date.now() / 1000);

  const attempt = (route: ModelRoute): Promise<RelayResult> => {
    const extraHeaders = { "x-llmux-model": route.resolved.reference };
    if (route.passthrough) {
      checkCallCapabilities(route.resolved.definition, asked(json));
      return forwardToUpstream({
        target: route.passthrough,
        path: "/chat/completions",
        body: upstreamBody(body, json, route.resolved.modelId, stream && !clientWantsUsage),
        res,
        stream,
        stripUsage: stream && !clientWantsUsage,
        timeoutMs: route.timeoutMs,
        extraHeaders,
        state,
      });
    }
    chatRequest ??= parseChatRequest(json);
    return translateChat({
      ...translationOptions(route, res, state, extraHeaders),
      request: chatRequest,
      meta: { id: `chatcmpl-${randomUUID()}`, created, model: route.resolved.reference },
      // Anthropic's answers are read from the bytes (see createAnthropicRelay).
      capture: route.resolved.provider === "anthropic" ? context.capture : undefined,
    });
  };

  await answerWithFallbacks(context, {
    route: "chat",
    name,
    key,
    started,
    stream,
    res,
    state,
    worstCase: () => requestWorstCase(body, outputCap(json)),
    attempt,
    json,
  });
}

// What a forwarded request asks of the model, in the terms of the provider's capabilities.
function asked(json: Record<string, unknown>): Parameters<typeof checkCallCapabilities>[1] {
  const format = json.response_format as { type?: unknown; json_schema?: unknown } | null | undefined;
  return {
    tools: Array.isArray(json.tools) ? json.tools : undefined,
    responseFormat: format?.type === "json_schema" ? { type: "json", schema: format.json_schema } : undefined,
  };
}

// The request's own cap on the answer; the newer field wins, as OpenAI reads them.
function outputCap(json: Record<string, unknown>): number | undefined {
  for (const field of ["max_completion_tokens", "max_tokens"]) {
    const value = json[field];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  return undefined;
}

const USAGE_OPTION = Buffer.from('"stream_options":{"include_usage":true},');

// The body for an upstream: the client's bytes when nothing needs changing, else one re-encoding.
// Asking for usage in a stream (the common change) is spliced in after the opening brace.
function upstreamBody(
  body: Buffer,
  json: Record<string, unknown>,
  modelId: string,
  addUsage: boolean,
): Buffer {
  if (json.model === modelId) {
    if (!addUsage) return body;
    if (json.stream_options === undefined) {
      // The body parsed as an object, so its first "{" (after any whitespace) opens it.
      const open = body.indexOf(0x7b) + 1;
      return Buffer.concat([body.subarray(0, open), USAGE_OPTION, body.subarray(open)]);
    }
  }
  const rewritten: Record<string, unknown> = { ...json, model: modelId };
  if (addUsage) {
    rewritten.stream_options = { ...(json.stream_options as object | undefined), include_usage: true };
  }
  return Buffer.from(JSON.stringify(rewritten));
}
