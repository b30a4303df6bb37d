import type { CallResult } from "../api/call-options.ts";
import { formatCost } from "./format-cost.ts";

/** The dim line under an answer: model, tokens, cost, time. */
export function describeCall(
  result: Pick<CallResult, "model" | "usage" | "costUsd" | "latencyMs">,
  color: boolean,
  extra = "",
): string {
  const tokens = `${result.usage.inputTokens ?? "?"} in / ${result.usage.outputTokens ?? "?"} out tokens`;
  const line = `${result.model} · ${tokens} · ${formatCost(result.costUsd)} · ${(result.latencyMs / 1000).toFixed(1)} s${extra}`;
  return color ? `\x1b[2m${line}\x1b[22m` : line;
}
