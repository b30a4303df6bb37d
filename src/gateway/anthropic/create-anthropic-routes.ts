import type { HttpRoute } from "../server/create-route-table.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";

/** Anthropic's Messages API: /v1/messages, /v1/messages/count_tokens. */
export function createAnthropicRoutes(_context: GatewayContext): HttpRoute[] {
  return [];
}
