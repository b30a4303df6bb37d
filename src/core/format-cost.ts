/** Dollars, with enough digits for sub-cent calls; unknown prices say so. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return "cost unknown";
  if (costUsd === 0) return "$0";
  if (costUsd < 0.01) return `$${costUsd.toPrecision(2)}`;
  return `$${costUsd.toFixed(4)}`;
}
