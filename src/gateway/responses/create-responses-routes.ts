import type { HttpRoute } from "../server/create-route-table.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";

/** OpenAI's Responses API: /v1/responses. */
export function createResponsesRoutes(_context: GatewayContext): HttpRoute[] {
  return [];
}
