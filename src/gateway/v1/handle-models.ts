import type { ServerResponse } from "node:http";
import { listModels } from "../../providers/list-models.ts";
import { RequestError } from "../openai/request-error.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "./gateway-context.ts";

/**
 * GET /v1/models (the list) and /v1/models/:id (one model, or a 404): every name the gateway
 * answers to now, the models that are ready and the aliases that lead to one.
 */
export async function handleModels(
  context: GatewayContext,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const { models, aliases } = await listModels(context.registry);
  const created = Math.floor(Date.now() / 1000);
  const ready = models.filter((m) => m.ready);
  const data = [
    ...ready.map((m) => ({ id: m.reference, object: "model", created, owned_by: m.provider })),
    // An alias named like a model would only repeat its id.
    ...aliases
      .filter((a) => a.ready && !ready.some((m) => m.reference === a.alias))
      .map((a) => ({ id: a.alias, object: "model", created, owned_by: "alias" })),
  ];
  if (path === "/v1/models") {
    return sendText(res, 200, "application/json", JSON.stringify({ object: "list", data }));
  }
  const id = decodeURIComponent(path.slice("/v1/models/".length));
  const model = data.find((m) => m.id === id);
  if (!model) {
    throw new RequestError(404, `The model ${id} does not exist or cannot answer now`, {
      code: "model_not_found",
      param: "model",
    });
  }
  sendText(res, 200, "application/json", JSON.stringify(model));
}
