import type { ServerResponse } from "node:http";
import { listModels } from "../../providers/list-models.ts";
import { anthropicDialect } from "../anthropic/anthropic-dialect.ts";
import { RequestError } from "../openai/request-error.ts";
import { sendError } from "../server/send-error.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "./gateway-context.ts";

/**
 * GET /v1/models (the list) and /v1/models/:id (one model, or a 404): every name the gateway
 * answers to now, the models that are ready, the aliases that lead to one and the pools with a
 * deployment in. In OpenAI's shape, or in Anthropic's when the request carries `anthropic-version`,
 * as Anthropic's clients send it (both APIs use this path).
 */
// The catalog has no date for when a model was made: the process's start stands in, the same in
// every listing and lookup (a value that changed per request made list and retrieve disagree).
const created = Math.floor(Date.now() / 1000);

export async function handleModels(
  context: GatewayContext,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const anthropic = res.req.headers["anthropic-version"] !== undefined;
  const { models, aliases } = await listModels(context.registry);
  const ready = models.filter((m) => m.ready);
  const entries = [
    ...ready.map((m) => ({ id: m.reference, name: m.name, owner: m.provider })),
    // An alias named like a model would only repeat its id.
    ...aliases
      .filter((a) => a.ready && !ready.some((m) => m.reference === a.alias))
      .map((a) => ({ id: a.alias, name: a.alias, owner: "alias" })),
    ...context.pools.available().map((pool) => ({ id: pool, name: pool, owner: "pool" })),
  ];
  const createdAt = new Date(created * 1000).toISOString();
  const data = entries.map((e) =>
    anthropic
      ? { type: "model", id: e.id, display_name: e.name, created_at: createdAt }
      : { id: e.id, object: "model", created, owned_by: e.owner },
  );
  if (path === "/v1/models") {
    const list = anthropic
      ? { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
      : { object: "list", data };
    return sendText(res, 200, "application/json", JSON.stringify(list));
  }
  const id = decodeURIComponent(path.slice("/v1/models/".length));
  const model = data.find((m) => m.id === id);
  if (!model) {
    const error = new RequestError(404, `The model ${id} does not exist or cannot answer now`, {
      code: "model_not_found",
      param: "model",
    });
    if (!anthropic) throw error;
    return sendError(res, error, anthropicDialect);
  }
  sendText(res, 200, "application/json", JSON.stringify(model));
}
