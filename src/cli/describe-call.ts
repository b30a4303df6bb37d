import type { CallResult } from "../client/call-options.ts";
import { formatCost } from "../core/format-cost.ts";
import { plural } from "../core/plural.ts";

/** The dim line under an answer: model, tokens, cost, time. */
export function describeCall(
  result: Pick<CallResult, "model" | "usage" | "costUsd" | "latencyMs">,
  color: boolean,
  extra = "",
): string {
  const { inputTokens, outputTokens } = result.usage;
  const tokens = `${inputTokens ?? "?"} in / ${outputTokens ?? "?"} out ${plural(outputTokens, "token")}`;
  const line = `${result.model} · ${tokens} · ${formatCost(result.costUsd)} · ${(result.latencyMs / 1000).toFixed(1)} s${extra}`;
  return color ? `\x1b[2m${line}\x1b[22m` : line;
}
