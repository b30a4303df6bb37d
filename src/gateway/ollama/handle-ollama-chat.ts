import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { noteStickyKeys } from "../pools/note-sticky-keys.ts";
import { answerWithFallbacks } from "../v1/answer-with-fallbacks.ts";
import { AttemptState } from "../v1/attempt-state.ts";
import { capturedAnswerReader } from "../v1/captured-answer-reader.ts";
import type { ModelRoute } from "../v1/create-model-routes.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { nameIgnoredFields } from "../v1/name-ignored-fields.ts";
import { readModelRequest } from "../v1/read-model-request.ts";
import { type RelayResult, relayUpstream } from "../v1/relay-upstream.ts";
import { requestWorstCase } from "../v1/request-worst-case.ts";
import { translationOptions } from "../v1/translation-options.ts";
import { authorizeOllamaModel } from "./authorize-ollama-model.ts";
import { convertOllamaChatRequest, type OllamaCallRequest } from "./convert-ollama-chat-request.ts";
import { convertOllamaGenerateRequest } from "./convert-ollama-generate-request.ts";
import { countOllamaIgnored } from "./count-ollama-ignored.ts";
import { createOllamaEncoder } from "./create-ollama-encoder.ts";
import { createOllamaRelay } from "./create-ollama-relay.ts";
import { forwardingLoopGuard } from "./forwarding-loop-guard.ts";
import { ollamaDialect } from "./ollama-dialect.ts";
import { ollamaNativeOrigin } from "./ollama-native-origin.ts";
import { translateOllamaChat } from "./translate-ollama-chat.ts";

/**
 * POST /api/chat and /api/generate: an Ollama upstream gets the client's bytes at its own
 * /api/chat or /api/generate (model name rewritten) and its answer goes back as it is; any other
 * model is reached by translation through the provider layer. NDJSON unless `stream: false`, as
 * Ollama does. Keys, budgets, retries, fallbacks, usage and metrics as for /v1.
 */
export async function handleOllamaChat(
  context: GatewayContext,
  kind: "chat" | "generate",
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  forwardingLoopGuard.check(req);
  const { body, json, name } = await readModelRequest(context, req, "model is required");
  if (json.stream != null && typeof json.stream !== "boolean") {
    throw new RequestError(400, "invalid stream: expected a boolean", {
      param: "stream",
      code: "invalid_value",
    });
  }
  if (kind === "chat" && !Array.isArray(json.messages ?? [])) {
    throw new RequestError(400, "invalid messages: expected an array", {
      param: "messages",
      code: "invalid_value",
    });
  }
  const reference = await authorizeOllamaModel(context, key, name);
  const stream = json.stream !== false;
  const state = new AttemptState(res);
  noteStickyKeys(state, req, undefined);
  let request: OllamaCallRequest | undefined;

  const attempt = (route: ModelRoute): Promise<RelayResult> => {
    const extraHeaders: Record<string, string> = { "x-llmux-model": route.resolved.reference };
    if (route.resolved.provider === "ollama" && route.passthrough) {
      const origin = ollamaNativeOrigin(route.passthrough);
      const path = `/api/${kind}`;
      return relayUpstream({
        origin,
        path,
        headers: {
          ...route.passthrough.headers,
          ...forwardingLoopGuard.header,
          "content-type": "application/json",
        },
        body:
          json.model === route.resolved.modelId
            ? body
            : JSON.stringify({ ...json, model: route.resolved.modelId }),
        relay: createOllamaRelay(`${origin}${path}`, stream),
        res,
        stream,
        timeoutMs: route.timeoutMs,
        extraHeaders,
        state,
      });
    }
    // Nothing to answer: a client loading (or, with keep_alive 0, unloading) the model, as
    // `ollama run` does first. The engine loads on first use and unloads when idle by itself.
    if (kind === "chat" ? isEmpty(json.messages) : isEmpty(json.prompt) && isEmpty(json.images)) {
      return answerLoad(res, state, name, kind, json.keep_alive === 0 || json.keep_alive === "0");
    }
    if (!request) {
      request = kind === "chat" ? convertOllamaChatRequest(json) : convertOllamaGenerateRequest(json);
      countOllamaIgnored(context.metrics, request.ignored);
    }
    nameIgnoredFields(extraHeaders, request.ignored);
    return translateOllamaChat({
      ...translationOptions(route, res, state, extraHeaders),
      request,
      encoder: createOllamaEncoder({ kind, model: name, showThinking: request.showThinking, started }),
      stream,
      captured: capturedCall(context, route),
    });
  };

  await answerWithFallbacks(context, {
    route: `ollama_${kind}`,
    dialect: ollamaDialect,
    name: reference,
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

// options.num_predict, when it caps the answer (-1 and -2 mean "until done" and "until the context is full").
function outputCap(json: Record<string, unknown>): number | undefined {
  const value = (json.options as { num_predict?: unknown } | null | undefined)?.num_predict;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

function isEmpty(value: unknown): boolean {
  return value == null || value === "" || (Array.isArray(value) && value.length === 0);
}

// Ollama's answer to a request with nothing to generate: done at once, with "load" or "unload".
async function answerLoad(
  res: ServerResponse,
  state: AttemptState,
  model: string,
  kind: "chat" | "generate",
  unload: boolean,
): Promise<RelayResult> {
  const text = JSON.stringify({
    model,
    created_at: new Date().toISOString(),
    ...(kind === "chat" ? { message: { role: "assistant", content: "" } } : { response: "" }),
    done_reason: unload ? "unload" : "load",
    done: true,
  });
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  state.committed = true;
  res.end(text);
  return { usage: undefined, lateError: undefined };
}

// The upstream's answer read from its bytes where the gateway can (capturedAnswerReader).
function capturedCall(context: GatewayContext, route: ModelRoute) {
  const reader = capturedAnswerReader(context, route);
  return reader && { capture: context.capture, reader };
}
