import type { ServerResponse } from "node:http";
import { LOCAL_OWNER } from "../../store/conversation-store.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import type { HttpRoute } from "../server/create-route-table.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { handleCreateResponse } from "./handle-create-response.ts";
import { responsesDialect } from "./responses-dialect.ts";

const PREFIX = "/v1/responses/";

/**
 * OpenAI's Responses API: POST /v1/responses counts against a key's requests per minute with its
 * model allowlist (the handler calls KeyGuard.authorize); GET and DELETE /v1/responses/{id}
 * serve the responses the gateway stored, of the caller only (the gateway key's id, or
 * LOCAL_OWNER without keys): another key's response is a 404, as a missing one is.
 */
export function createResponsesRoutes(context: GatewayContext): HttpRoute[] {
  const store = context.store.responses;
  const route = { access: "key", metricsLabel: "responses", dialect: responsesDialect } as const;
  const owner = (key: GatewayKey | undefined) => key?.id ?? LOCAL_OWNER;
  const idOf = (path: string) => {
    const id = decodeURIComponent(path.slice(PREFIX.length));
    if (!id || id.includes("/")) throw notFound(id);
    return id;
  };
  return [
    {
      ...route,
      method: "POST",
      path: "/v1/responses",
      rateLimit: "model",
      handle: ({ req, res, key, started }) => handleCreateResponse(context, store, req, res, key, started),
    },
    {
      ...route,
      method: "GET",
      path: `${PREFIX}*`,
      rateLimit: "request",
      handle: async ({ res, path, key }) => {
        const id = idOf(path);
        const stored = await store.get(owner(key), id);
        if (!stored) throw notFound(id);
        sendJson(res, stored.response);
      },
    },
    {
      ...route,
      method: "DELETE",
      path: `${PREFIX}*`,
      rateLimit: "request",
      handle: async ({ res, path, key }) => {
        const id = idOf(path);
        if (!(await store.remove(owner(key), id))) throw notFound(id);
        sendJson(res, { id, object: "response", deleted: true });
      },
    },
  ];
}

// OpenAI's words for an id it does not hold.
function notFound(id: string): RequestError {
  return new RequestError(404, `Response with id '${id}' not found.`);
}

function sendJson(res: ServerResponse, body: unknown): void {
  sendText(res, 200, "application/json", JSON.stringify(body));
}
