import type { ServerResponse } from "node:http";
import { RequestError } from "../openai/request-error.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { listModels } from "./list-models.ts";

/** GET /v1/models (the list) and /v1/models/:id (one model, or a 404). */
export async function handleModels(
  context: GatewayContext,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const list = await listModels(context.registry);
  if (path === "/v1/models") return sendText(res, 200, "application/json", JSON.stringify(list));
  const id = decodeURIComponent(path.slice("/v1/models/".length));
  const model = list.data.find((m) => m.id === id);
  if (!model) {
    throw new RequestError(404, `The model ${id} does not exist or cannot answer now`, {
      code: "model_not_found",
      param: "model",
    });
  }
  sendText(res, 200, "application/json", JSON.stringify(model));
}
