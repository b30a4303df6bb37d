import type { HttpRoute } from "../server/create-route-table.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";

/** Ollama's API: /api/*. */
export function createOllamaRoutes(_context: GatewayContext): HttpRoute[] {
  return [];
}
