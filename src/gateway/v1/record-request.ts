import type { IncomingMessage } from "node:http";
import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { priceCall } from "../../catalog/price-call.ts";
import type { ResolvedModel } from "../../providers/provider-registry.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import type { UsageRow } from "../../store/usage-log.ts";
import type { Reservation } from "../server/create-key-guard.ts";
import type { AttemptRecord } from "./attempt-state.ts";
import type { GatewayContext } from "./gateway-context.ts";
import type { WorstCase } from "./reserve-budget.ts";

export interface RequestRecord {
  /** The route's metrics label. */
  route: string;
  /** The client's wire format (WireDialect.name). */
  dialect: string;
  /** The model that answered, or the last one tried; undefined when none resolved. */
  resolved: ResolvedModel | undefined;
  /** The model name as the client sent it (used when nothing resolved). */
  name: string;
  /** The gateway key the request came with; undefined on an open gateway. */
  key: GatewayKey | undefined;
  /** The request as the client sent it, parsed (its parameters, and its prompt when captured, for traces). */
  json: Record<string, unknown>;
  started: number;
  status: number;
  outcome: UsageRow["outcome"];
  usage: TokenUsage | undefined;
  /** Why the answer ended, in the provider's word (RelayResult.finishReason), for traces. */
  finishReason: string | undefined;
  errorKind: string | null;
  /** performance.now() of the first byte sent (streams); 0 when none. */
  firstByteAt: number;
  stream: boolean;
  /** Bytes of the answer reached the client (the upstream did work even if it never said how much). */
  committed: boolean;
  /** Events streamed to the client (AttemptState.streamedEvents): the output estimate of a cut stream. */
  streamedEvents: number;
  /** The prompt's size, counted before the request (the input estimate of a cut request). */
  worstCase: () => WorstCase;
  /** The key's hold on its budget: released here, and the cost charged, in one step. */
  reservation: Reservation | undefined;
  /** The client's request (its traceparent header, for traces). */
  request: IncomingMessage;
  /** Every model call made for the request (AttemptState.attempts), for traces. */
  attempts: readonly AttemptRecord[];
  /** Answered from the response cache: no model was called, so it costs 0. */
  cached?: boolean;
}

/**
 * One finished request: a usage-log row (queued for the batched writer), the metrics, and the
 * key's spend. Runs after the response has ended, off the request's path. A request cut short
 * (client gone, upstream failed mid-answer) whose upstream never reported its usage is charged
 * an estimate, marked as one in the row: the prompt as counted before it, and an output token
 * for each event streamed to the client.
 */
export function recordRequest(context: GatewayContext, record: RequestRecord): void {
  const { resolved } = record;
  let { usage } = record;
  const latencyMs = performance.now() - record.started;
  const estimated =
    usage === undefined &&
    resolved !== undefined &&
    record.outcome !== "ok" &&
    (record.committed || record.outcome === "aborted");
  if (estimated) usage = { inputTokens: record.worstCase().inputTokens, outputTokens: record.streamedEvents };
  const costUsd = record.cached
    ? 0
    : usage === undefined || resolved === undefined
      ? null
      : priceCall(resolved, context.config.file.prices, usage);
  // A request that failed before anything was used costs nothing.
  record.reservation?.settle(costUsd ?? 0);
  // Its tokens count in its key's window (tpm), in the background: never in the answer's way.
  if (record.key && usage !== undefined && !record.cached) {
    context.keys.countTokens(record.key, (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
  }
  const provider = resolved?.provider ?? "unknown";
  const model = resolved?.modelId ?? "unknown";
  // A name that resolved to no model (unknown, or not served) was refused before any model was
  // called: counted in the metrics as "unknown", never a usage row (the client chose the name).
  if (resolved !== undefined)
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
      gatewayKeyId: record.key?.id ?? null,
      estimated,
      cached: record.cached,
    });
  context.metrics.observe({
    route: record.route,
    dialect: record.dialect,
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
  context.telemetry?.recordRequest(record);
}
