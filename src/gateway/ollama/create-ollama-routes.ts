import { RequestError } from "../openai/request-error.ts";
import type { HttpRoute } from "../server/create-route-table.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { handleOllamaChat } from "./handle-ollama-chat.ts";
import { handleOllamaDelete } from "./handle-ollama-delete.ts";
import { handleOllamaEmbed } from "./handle-ollama-embed.ts";
import { handleOllamaPs } from "./handle-ollama-ps.ts";
import { handleOllamaPull } from "./handle-ollama-pull.ts";
import { handleOllamaShow } from "./handle-ollama-show.ts";
import { handleOllamaTags } from "./handle-ollama-tags.ts";
import { ollamaDialect } from "./ollama-dialect.ts";

/**
 * The Ollama version /api/version reports. Clients gate features on it (Open WebUI and the
 * ollama CLI ask for a minimum; structured outputs need 0.5, thinking 0.9): this is the Ollama
 * release whose API the routes follow.
 */
const OLLAMA_VERSION = "0.12.0";

/**
 * Ollama's API under /api, in Ollama's error shape: chat, generate and embeddings for every
 * model (counted against a key's requests per minute with its model allowlist, like /v1), the
 * model list and details, and pull and delete on the embedded engine's store.
 */
export function createOllamaRoutes(context: GatewayContext): HttpRoute[] {
  const model = { access: "key", rateLimit: "model", dialect: ollamaDialect } as const;
  const listing = { access: "key", rateLimit: "none", dialect: ollamaDialect } as const;
  return [
    ...(["chat", "generate"] as const).map(
      (kind): HttpRoute => ({
        ...model,
        method: "POST",
        path: `/api/${kind}`,
        metricsLabel: `ollama_${kind}`,
        handle: ({ req, res, key, started }) => handleOllamaChat(context, kind, req, res, key, started),
      }),
    ),
    ...(["embed", "embeddings"] as const).map(
      (kind): HttpRoute => ({
        ...model,
        method: "POST",
        path: `/api/${kind}`,
        metricsLabel: `ollama_${kind}`,
        handle: ({ req, res, key, started }) => handleOllamaEmbed(context, kind, req, res, key, started),
      }),
    ),
    {
      ...model,
      method: "POST",
      path: "/api/pull",
      handle: ({ req, res, key }) => handleOllamaPull(context, req, res, key),
    },
    {
      ...model,
      method: "DELETE",
      path: "/api/delete",
      handle: ({ req, res, key }) => handleOllamaDelete(context, req, res, key),
    },
    // A probe clients send before anything else: open, as /healthz is.
    {
      method: "GET",
      path: "/api/version",
      access: "open",
      rateLimit: "none",
      dialect: ollamaDialect,
      handle: ({ res }) =>
        sendText(res, 200, "application/json; charset=utf-8", JSON.stringify({ version: OLLAMA_VERSION })),
    },
    { ...listing, method: "GET", path: "/api/tags", handle: ({ res }) => handleOllamaTags(context, res) },
    {
      ...listing,
      method: "POST",
      path: "/api/show",
      handle: ({ req, res }) => handleOllamaShow(context, req, res),
    },
    { ...listing, method: "GET", path: "/api/ps", handle: ({ res }) => handleOllamaPs(context, res) },
    // Ollama's other routes (create, copy, push, blobs), refused in Ollama's shape: the ollama
    // packages show an OpenAI error object as "[object Object]".
    ...(["GET", "HEAD", "POST", "PATCH", "DELETE"] as const).map(
      (method): HttpRoute => ({
        method,
        path: "/api/*",
        access: "open",
        rateLimit: "none",
        dialect: ollamaDialect,
        handle: ({ path }) => {
          throw new RequestError(404, `${method} ${path} is not served by llmux's Ollama API`, {
            code: "unknown_url",
          });
        },
      }),
    ),
  ];
}
