import { sendOllamaBanner } from "../ollama/send-ollama-banner.ts";
import type { HttpRoute } from "../server/create-route-table.ts";
import type { AppContext } from "./app-context.ts";
import { createConversationRoutes } from "./create-conversation-routes.ts";
import { handlePullRequest } from "./handle-pull-request.ts";
import { handleSummarizeRequest } from "./handle-summarize-request.ts";
import { listAppModels } from "./list-app-models.ts";
import { sendJson } from "./send-json.ts";
import { serveWebAsset } from "./serve-web-asset.ts";

/**
 * The web app and its small JSON API (docs/app-api.md): `/` and `/assets/*`, `GET /app/api/models`,
 * `/app/api/conversations[/:id]`, `POST /app/api/summarize` and `POST /app/api/pull`. The API asks for a
 * gateway key exactly as /v1 does (when keys exist), and each call counts against its requests
 * per minute (one counter with /v1); the page itself loads without one so that it can ask for it.
 */
export function createAppRoutes(context: AppContext): HttpRoute[] {
  const page = { access: "open", rateLimit: "none" } as const;
  const api = { access: "key", rateLimit: "request" } as const;
  return [
    ...["/", "/index.html", "/assets/*"].flatMap((path) =>
      (["GET", "HEAD"] as const).map(
        (method): HttpRoute => ({
          ...page,
          method,
          path,
          // `/` is also Ollama's root: "Ollama is running" to clients that do not ask for a page.
          handle: ({ req, res, path }) =>
            path === "/" && !req.headers.accept?.includes("text/html")
              ? sendOllamaBanner(res, method)
              : serveWebAsset(path, res, context.webRoot, method),
        }),
      ),
    ),
    {
      ...api,
      method: "GET",
      path: "/app/api/models",
      handle: async ({ res }) => sendJson(res, 200, await listAppModels(context.config)),
    },
    {
      ...api,
      method: "POST",
      path: "/app/api/summarize",
      handle: ({ req, res, key }) => handleSummarizeRequest(req, res, context, key),
    },
    // Counted with its model check (KeyGuard.authorize), as /v1 is.
    {
      method: "POST",
      path: "/app/api/pull",
      access: "key",
      rateLimit: "model",
      handle: ({ req, res, key }) => handlePullRequest(req, res, context, key),
    },
    ...createConversationRoutes(context.conversations, context.config.file.gateway.bodyLimitBytes),
  ];
}
