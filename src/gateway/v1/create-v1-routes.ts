import type { HttpRoute } from "../server/create-route-table.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { handleChatCompletion } from "./handle-chat-completion.ts";
import { handleEmbeddings } from "./handle-embeddings.ts";
import { handleModels } from "./handle-models.ts";

/**
 * The OpenAI API under /v1. Chat and embeddings count against a key's requests per minute with
 * its model allowlist (handlers call KeyGuard.authorize once they know the model); listing
 * models does not count.
 */
export function createV1Routes(context: GatewayContext): HttpRoute[] {
  const v1 = { access: "key", rateLimit: "model" } as const;
  return [
    {
      ...v1,
      method: "POST",
      path: "/v1/chat/completions",
      metricsLabel: "chat",
      handle: ({ req, res, key, started }) => handleChatCompletion(context, req, res, key, started),
    },
    {
      ...v1,
      method: "POST",
      path: "/v1/embeddings",
      metricsLabel: "embeddings",
      handle: ({ req, res, key, started }) => handleEmbeddings(context, req, res, key, started),
    },
    ...["/v1/models", "/v1/models/*"].map(
      (path): HttpRoute => ({
        method: "GET",
        path,
        access: "key",
        rateLimit: "none",
        metricsLabel: "models",
        handle: ({ res, path }) => handleModels(context, res, path),
      }),
    ),
  ];
}
