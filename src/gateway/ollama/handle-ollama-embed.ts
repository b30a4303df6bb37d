import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { answerWithFallbacks } from "../v1/answer-with-fallbacks.ts";
import { AttemptState } from "../v1/attempt-state.ts";
import type { ModelRoute } from "../v1/create-model-routes.ts";
import { embedValues } from "../v1/embed-values.ts";
import { embeddingWorstCase } from "../v1/embedding-worst-case.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { readModelRequest } from "../v1/read-model-request.ts";
import type { RelayResult } from "../v1/relay-upstream.ts";
import { authorizeOllamaModel } from "./authorize-ollama-model.ts";
import { ollamaDialect } from "./ollama-dialect.ts";

const NS_PER_MS = 1e6;

/**
 * POST /api/embed (`input`: a string or an array, answered as `embeddings`) and the older
 * POST /api/embeddings (`prompt`, answered as one `embedding`), for any model with embeddings
 * (Ollama's own through its /api/embed), with keys, budgets, fallbacks and usage as for /v1.
 */
export async function handleOllamaEmbed(
  context: GatewayContext,
  kind: "embed" | "embeddings",
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
): Promise<void> {
  const { json, name } = await readModelRequest(context, req, "model is required");
  const field = kind === "embed" ? "input" : "prompt";
  const input = json[field];
  const values = typeof input === "string" ? [input] : input;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
    throw new RequestError(
      400,
      kind === "embed"
        ? "invalid input: expected a string or a non-empty array of strings"
        : "invalid prompt: expected a string",
      { param: field, code: "invalid_value" },
    );
  }
  if (kind === "embeddings" && typeof input !== "string") {
    throw new RequestError(400, "invalid prompt: expected a string", { param: field, code: "invalid_value" });
  }
  const reference = await authorizeOllamaModel(context, key, name);
  const state = new AttemptState(res);

  const attempt = async (route: ModelRoute): Promise<RelayResult> => {
    const result = await embedValues(context, route, state, values as string[]);
    const text = JSON.stringify(
      kind === "embed"
        ? {
            model: name,
            embeddings: result.embeddings,
            total_duration: Math.round((performance.now() - started) * NS_PER_MS),
            load_duration: 0,
            prompt_eval_count: result.usage.tokens,
          }
        : { embedding: result.embeddings[0] },
    );
    res.writeHead(200, {
      "x-llmux-model": route.resolved.reference,
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    state.committed = true;
    res.end(text);
    return { usage: { inputTokens: result.usage.tokens, outputTokens: 0 }, lateError: undefined };
  };

  await answerWithFallbacks(context, {
    route: `ollama_${kind}`,
    dialect: ollamaDialect,
    name: reference,
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
