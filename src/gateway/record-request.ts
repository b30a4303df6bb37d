import { computeCost, type TokenUsage } from "../catalog/compute-cost.ts";
import type { ResolvedModel } from "../providers/provider-registry.ts";
import type { UsageRow } from "../store/usage-log.ts";
import type { GatewayContext } from "./gateway-context.ts";

export interface RequestRecord {
  route: "chat" | "embeddings";
  /** The model that answered, or the last one tried; undefined when none resolved. */
  resolved: ResolvedModel | undefined;
  /** The model name as the client sent it (used when nothing resolved). */
  name: string;
  keyId: string | null;
  started: number;
  status: number;
  outcome: UsageRow["outcome"];
  usage: TokenUsage | undefined;
  errorKind: string | null;
  /** performance.now() of the first byte sent (streams); 0 when none. */
  firstByteAt: number;
  stream: boolean;
}

/**
 * One finished request: a usage-log row (queued for the batched writer), the metrics, and the
 * key's spend. Runs after the response has ended, off the request's path.
 */
export function recordRequest(context: GatewayContext, record: RequestRecord): void {
  const { resolved, usage } = record;
  const latencyMs = performance.now() - record.started;
  // Models the catalog does not price but that run on this machine cost nothing per token.
  const runsLocally =
    resolved !== undefined &&
    !resolved.catalogEntry &&
    (resolved.provider === "local" || resolved.provider === "ollama");
  const costUsd = usage === undefined ? null : runsLocally ? 0 : computeCost(resolved?.catalogEntry, usage);
  const provider = resolved?.provider ?? "unknown";
  const model = resolved?.modelId ?? "unknown";
  context.recordUsage({
    time: new Date(),
    provider,
    model,
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    costUsd,
    latencyMs,
    outcome: record.outcome,
    errorKind: record.errorKind,
    source: "gateway",
    gatewayKeyId: record.keyId,
  });
  context.metrics.observe({
    route: record.route,
    model: resolved?.reference ?? "unknown",
    provider,
    status: record.status,
    durationMs: latencyMs,
    ...(record.stream &&
      record.firstByteAt > 0 && { timeToFirstTokenMs: record.firstByteAt - record.started }),
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    costUsd,
    ...(record.errorKind !== null && { errorKind: record.errorKind }),
  });
  if (record.keyId !== null && costUsd) context.keys.spend(record.keyId, costUsd);
}
