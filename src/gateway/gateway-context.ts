import type { LlmuxConfig } from "../core/load-config.ts";
import type { ProviderRegistry } from "../providers/provider-registry.ts";
import type { UsageRow } from "../store/usage-log.ts";
import type { KeyGuard } from "./create-key-guard.ts";
import type { GatewayMetrics } from "./create-metrics.ts";
import type { RouteTable } from "./create-route-table.ts";

/** What every request handler of one gateway shares. */
export interface GatewayContext {
  config: LlmuxConfig;
  registry: ProviderRegistry;
  routes: RouteTable;
  metrics: GatewayMetrics;
  keys: KeyGuard;
  /** Queues a usage row (batched, written off the request path). */
  recordUsage(row: UsageRow): void;
}
