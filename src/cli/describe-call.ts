import type { CallResult } from "../api/call-options.ts";
import { formatCost } from "./format-cost.ts";

/** The dim line under an answer: model, tokens, cost, time. */
export function describeCall(result: Pick<CallResult, "model" | "usage" | "costUsd" | "latencyMs">): string {
  const tokens = `${result.usage.inputTokens ?? "?"} in / ${result.usage.outputTokens ?? "?"} out tokens`;
  return `\x1b[2m${result.model} · ${tokens} · ${formatCost(result.costUsd)} · ${(result.latencyMs / 1000).toFixed(1)} s\x1b[22m`;
}
