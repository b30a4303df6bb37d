import type { GatewayMetrics } from "./create-metrics.ts";
import type { HttpRoute } from "./create-route-table.ts";
import { sendText } from "./send-text.ts";

/**
 * `GET /healthz`, open to all (load balancers send no key), and `GET /metrics` (Prometheus),
 * which needs a gateway key once keys exist but never counts against its requests per minute.
 */
export function createStatusRoutes(metrics: GatewayMetrics): HttpRoute[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      access: "open",
      rateLimit: "none",
      handle: ({ res }) => sendText(res, 200, "application/json", '{"status":"ok"}'),
    },
    {
      method: "GET",
      path: "/metrics",
      access: "key",
      rateLimit: "none",
      handle: ({ res }) => sendText(res, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()),
    },
  ];
}
