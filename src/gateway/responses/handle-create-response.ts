import type { IncomingMessage, ServerResponse } from "node:http";
import { LOCAL_OWNER } from "../../store/conversation-store.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import type { ResponseStore } from "../../store/response-store.ts";
import { RequestError } from "../openai/request-error.ts";
import { noteStickyKeys } from "../pools/note-sticky-keys.ts";
import { answerWithFallbacks } from "../v1/answer-with-fallbacks.ts";
import { AttemptState } from "../v1/attempt-state.ts";
import type { ModelRoute } from "../v1/create-model-routes.ts";
import { forwardToUpstream } from "../v1/forward-to-upstream.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { nameIgnoredFields } from "../v1/name-ignored-fields.ts";
import { readChatRequest } from "../v1/read-chat-request.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { requestWorstCase } from "../v1/request-worst-case.ts";
import { translationOptions } from "../v1/translation-options.ts";
import { convertResponsesInputToPrompt } from "./convert-responses-input-to-prompt.ts";
import { createItemId } from "./create-item-id.ts";
import { holdAnswerUntil } from "./hold-answer-until.ts";
import { parseResponsesRequest, type ResponsesRequest } from "./parse-responses-request.ts";
import { responsesDialect } from "./responses-dialect.ts";
import { speaksResponses } from "./speaks-responses.ts";
import { translateResponse } from "./translate-response.ts";

/**
 * POST /v1/responses: OpenAI's own API gets the client's bytes (model name rewritten; its answer's
 * usage read from `response.completed`), other upstreams a translation through the provider
 * layer, with `store` and `previous_response_id` served from the gateway's database. Retries and
 * fallbacks happen while nothing has reached the client.
 */
export async function handleCreateResponse(
  context: GatewayContext,
  store: ResponseStore,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  const { body, json, name } = await readChatRequest(context, req, key, {
    modelHint: "give a model name, e.g. openai:gpt-4.1-mini",
    stream: "Invalid value for stream: expected a boolean",
    code: "invalid_value",
  });

  const owner = key?.id ?? LOCAL_OWNER;
  const stream = json.stream === true;
  const state = new AttemptState(res);
  noteStickyKeys(state, req, json.user, json.prompt_cache_key);
  const createdAt = Math.floor(Date.now() / 1000);
  let request: ResponsesRequest | undefined;
  // The stored conversation previous_response_id names, when the gateway holds it (read once,
  // up front: the budget's worst case counts it).
  const previousId = typeof json.previous_response_id === "string" ? json.previous_response_id : undefined;
  const previous = previousId === undefined ? undefined : await store.get(owner, previousId);

  const attempt = (route: ModelRoute): Promise<RelayResult> => {
    const extraHeaders: Record<string, string> = { "x-llmux-model": route.resolved.reference };
    const modelId = route.resolved.modelId;
    if (speaksResponses(route)) {
      // previous_response_id is the upstream's own then: forwarded with the rest.
      return forwardToUpstream({
        target: route.passthrough!,
        path: "/responses",
        body: json.model === modelId ? body : Buffer.from(JSON.stringify({ ...json, model: modelId })),
        res,
        stream,
        stripUsage: false,
        timeoutMs: route.timeoutMs,
        extraHeaders,
        state,
      });
    }
    if (!request) {
      request = parseResponsesRequest(json);
      for (const field of request.ignored) context.metrics.ignored(responsesDialect.name, field);
    }
    nameIgnoredFields(extraHeaders, request.ignored);
    const earlier = previous;
    if (previousId !== undefined && !earlier) {
      throw new RequestError(400, `Previous response with id '${previousId}' not found.`, {
        param: "previous_response_id",
        code: "previous_response_not_found",
      });
    }
    const history = earlier ? [...earlier.input, ...earlier.response.output] : [];
    const items = [...history, ...request.input] as ResponsesRequest["input"];
    const id = createItemId("resp");
    const { store: keep } = request;
    return translateResponse({
      ...translationOptions(route, res, state, extraHeaders),
      callOptions: {
        ...request.callOptions,
        prompt: convertResponsesInputToPrompt(request.instructions, items, history.length),
      },
      meta: { id, createdAt, model: route.resolved.reference, request },
      // Anthropic's answers are read from the bytes (see createAnthropicAnswerRelay).
      capture: route.resolved.provider === "anthropic" ? context.capture : undefined,
      finished: (response) => {
        if (!keep) return;
        // A store that cannot take it (disk full, PostgreSQL down) must not cost the client its
        // answer, which is read from the upstream's bytes here; the id then reads as unknown, as
        // after a delete.
        holdAnswerUntil(res, store.save(owner, id, { input: items, response }));
      },
    });
  };

  await answerWithFallbacks(context, {
    route: "responses",
    dialect: responsesDialect,
    name,
    key,
    started,
    stream,
    res,
    state,
    worstCase: () => {
      const earlier = previous;
      const history = earlier ? JSON.stringify([earlier.input, earlier.response.output]) : "";
      return requestWorstCase(body, outputCap(json.max_output_tokens), history);
    },
    attempt,
    json,
  });
}

function outputCap(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}
