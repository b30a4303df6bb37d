import type { LlmuxConfig } from "../../core/load-config.ts";
import type { ProviderRegistry } from "../../providers/provider-registry.ts";
import type { Store } from "../../store/store.ts";
import type { UsageRow } from "../../store/usage-log.ts";
import type { ResponseCache } from "../cache/response-cache.ts";
import type { Pools } from "../pools/create-pools.ts";
import type { KeyGuard } from "../server/create-key-guard.ts";
import type { GatewayMetrics } from "../server/create-metrics.ts";
import type { GatewayTelemetry } from "../telemetry/gateway-telemetry.ts";
import type { ModelRoutes } from "./create-model-routes.ts";
import type { RequestCapture } from "./create-request-capture.ts";

/** What every request handler of one gateway shares. */
export interface GatewayContext {
  config: LlmuxConfig;
  registry: ProviderRegistry;
  modelRoutes: ModelRoutes;
  /** Model names served by several deployments (gateway.pools), chosen per attempt by runWithFallbacks. */
  pools: Pools;
  metrics: GatewayMetrics;
  keys: KeyGuard;
  /** The llmux store (SQLite or PostgreSQL), for what a dialect keeps between requests (stored Responses). */
  store: Store;
  /** Takes over requests the registry's providers build, for the answers the gateway reads itself. */
  capture: RequestCapture;
  /** Queues a usage row (batched, written off the request path). */
  recordUsage(row: UsageRow): void;
  /** Answers kept for identical requests (gateway.cache), in memory or in Redis. */
  cache: ResponseCache;
  /** OpenTelemetry traces and metrics; undefined when off (the default). */
  telemetry?: GatewayTelemetry;
}
