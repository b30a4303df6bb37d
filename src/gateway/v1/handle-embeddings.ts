import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { answerWithFallbacks } from "./answer-with-fallbacks.ts";
import { AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import { embedValues } from "./embed-values.ts";
import { embeddingWorstCase } from "./embedding-worst-case.ts";
import { forwardToUpstream } from "./forward-to-upstream.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { readModelRequest } from "./read-model-request.ts";
import type { RelayResult } from "./relay-upstream.ts";

const HONOURED = new Set(["model", "input", "encoding_format", "user"]);

/**
 * POST /v1/embeddings: forwarded as bytes to OpenAI-compatible upstreams, otherwise computed
 * through the provider layer and answered as OpenAI's list of embeddings (float or base64, which
 * the official client asks for by default).
 */
export async function handleEmbeddings(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  const { body, json, name } = await readModelRequest(context, req, "give an embedding model name");
  const input = json.input;
  const values = typeof input === "string" ? [input] : input;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
    throw new RequestError(
      400,
      "Invalid value for input: expected a string or a non-empty array of strings",
      {
        param: "input",
        code: "invalid_value",
      },
    );
  }
  const format = json.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    throw new RequestError(400, 'Invalid value for encoding_format: expected "float" or "base64"', {
      param: "encoding_format",
      code: "invalid_value",
    });
  }
  if (key) await context.keys.authorize(key, [name]);

  const state = new AttemptState(res);

  const attempt = async (route: ModelRoute): Promise<RelayResult> => {
    const extraHeaders = { "x-llmux-model": route.resolved.reference };
    if (route.passthrough) {
      return forwardToUpstream({
        target: route.passthrough,
        path: "/embeddings",
        body:
          json.model === route.resolved.modelId
            ? body
            : Buffer.from(JSON.stringify({ ...json, model: route.resolved.modelId })),
        res,
        stream: false,
        stripUsage: false,
        timeoutMs: route.timeoutMs,
        extraHeaders,
        state,
      });
    }
    const refused = Object.keys(json).filter((field) => json[field] != null && !HONOURED.has(field));
    if (refused.length > 0) {
      throw new RequestError(400, `Unsupported parameter for this model: ${refused.join(", ")}`, {
        param: refused[0],
        code: "unsupported_parameter",
      });
    }
    const result = await embedValues(context, route, state, values as string[]);
    const text = JSON.stringify({
      object: "list",
      data: result.embeddings.map((embedding, index) => ({
        object: "embedding",
        index,
        embedding:
          format === "base64"
            ? Buffer.from(new Float32Array(embedding).buffer).toString("base64")
            : embedding,
      })),
      model: route.resolved.reference,
      usage: { prompt_tokens: result.usage.tokens, total_tokens: result.usage.tokens },
    });
    res.writeHead(200, { ...extraHeaders, "content-type": "application/json" });
    state.committed = true;
    res.end(text);
    return { usage: { inputTokens: result.usage.tokens, outputTokens: 0 }, lateError: undefined };
  };

  await answerWithFallbacks(context, {
    route: "embeddings",
    name,
    key,
    started,
    stream: false,
    res,
    state,
    worstCase: () => embeddingWorstCase(values as string[]),
    attempt,
    json,
  });
}
