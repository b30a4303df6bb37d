import type { HttpRoute } from "../server/create-route-table.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { anthropicDialect } from "./anthropic-dialect.ts";
import { handleAnthropicCountTokens } from "./handle-anthropic-count-tokens.ts";
import { handleAnthropicMessages } from "./handle-anthropic-messages.ts";

/**
 * Anthropic's Messages API: /v1/messages, /v1/messages/count_tokens (Claude Code adds
 * `?beta=true`; the route table matches paths without their query). Both count against a key's
 * requests per minute with its model allowlist, and answer errors in Anthropic's shape.
 */
export function createAnthropicRoutes(context: GatewayContext): HttpRoute[] {
  const route = { method: "POST", access: "key", rateLimit: "model", dialect: anthropicDialect } as const;
  return [
    {
      ...route,
      path: "/v1/messages",
      metricsLabel: "messages",
      handle: ({ req, res, key, started }) => handleAnthropicMessages(context, req, res, key, started),
    },
    {
      ...route,
      path: "/v1/messages/count_tokens",
      metricsLabel: "count_tokens",
      handle: ({ req, res, key }) => handleAnthropicCountTokens(context, req, res, key),
    },
  ];
}
