import { formatCost } from "../../../src/core/format-cost.ts";

export interface CallFacts {
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
}

const seconds = (ms: number | null) => (ms === null ? "?" : `${(ms / 1000).toFixed(2)} s`);

/** The line under a reply: model, tokens, cost, time to first token and total time. */
export function CallStats({ call }: { call: CallFacts }) {
  const facts: [string, string, string][] = [
    ["Model", "stat-model", call.model ?? "unknown"],
    ["Tokens", "stat-tokens", `${call.inputTokens ?? "?"} in / ${call.outputTokens ?? "?"} out`],
    ["Cost", "stat-cost", formatCost(call.costUsd)],
    ["First token", "stat-ttft", seconds(call.timeToFirstTokenMs)],
    ["Total", "stat-total", seconds(call.latencyMs)],
  ];
  return (
    <dl class="call-stats">
      {facts.map(([label, name, value]) => (
        <div key={name}>
          <dt>{label}</dt>
          <dd class={name}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
