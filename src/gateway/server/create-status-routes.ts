import type { Pools } from "../pools/create-pools.ts";
import type { KeyGuard } from "./create-key-guard.ts";
import type { GatewayMetrics } from "./create-metrics.ts";
import type { HttpRoute } from "./create-route-table.ts";
import { sendText } from "./send-text.ts";

/** What `GET /healthz?verbose` answers (and `llmux pools` shows). */
export interface VerboseHealth {
  /** Degraded while some pool has no deployment in: its requests go to a cooling one, or fail. */
  status: "ok" | "degraded";
  pools: ReturnType<Pools["report"]>;
}

/**
 * `GET /healthz`, open to all (load balancers send no key), and `GET /metrics` (Prometheus),
 * which needs a gateway key once keys exist but never counts against its requests per minute.
 * `GET /healthz?verbose` adds each pool's deployments as this replica sees them (health, requests
 * in flight, recent latency); it needs a key too once keys exist, as it names the upstreams.
 */
export function createStatusRoutes(metrics: GatewayMetrics, keys: KeyGuard, pools: Pools): HttpRoute[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      access: "open",
      rateLimit: "none",
      handle: ({ req, res }) => {
        const url = req.url ?? "";
        const query = url.indexOf("?");
        if (query < 0 || !new URLSearchParams(url.slice(query + 1)).has("verbose")) {
          return sendText(res, 200, "application/json", '{"status":"ok"}');
        }
        keys.authenticate(req.headers);
        const report = pools.report();
        const degraded = Object.values(report).some((pool) => pool.deployments.every((d) => !d.healthy));
        const answer: VerboseHealth = { status: degraded ? "degraded" : "ok", pools: report };
        return sendText(res, 200, "application/json", JSON.stringify(answer));
      },
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
