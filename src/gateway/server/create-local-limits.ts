import type { BudgetHold, Limits } from "./limits.ts";

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Limits counted in this process: token buckets refilled continuously for rpm, and spend (starting
 * from `spent`, the usage log's) plus holds per key. Check and hold happen in one synchronous
 * step, as do release and charge: no other request runs in between.
 */
export function createLocalLimits(spent: Map<string, number>): Limits {
  const reserved = new Map<string, number>();
  const buckets = new Map<string, Bucket>();
  const hold = (keyId: string, budgetUsd: number | null, amountUsd: number): BudgetHold => {
    const spentNow = spent.get(keyId) ?? 0;
    const heldNow = reserved.get(keyId) ?? 0;
    if (budgetUsd !== null && round(spentNow + heldNow + amountUsd) > budgetUsd) {
      return { held: false, spentUsd: spentNow, heldUsd: heldNow };
    }
    reserved.set(keyId, heldNow + amountUsd);
    return {
      held: true,
      release(costUsd) {
        reserved.set(keyId, round((reserved.get(keyId) ?? 0) - amountUsd));
        spent.set(keyId, round((spent.get(keyId) ?? 0) + costUsd));
      },
    };
  };
  return {
    takeRequest: async (keyId, rpm) => take(keyId, rpm),
    hold: async (keyId, budgetUsd, amountUsd) => hold(keyId, budgetUsd, amountUsd),
    balance: (keyId) => ({ spentUsd: spent.get(keyId) ?? 0, reservedUsd: reserved.get(keyId) ?? 0 }),
    close: async () => undefined,
  };

  function take(keyId: string, rpm: number): boolean {
    const now = performance.now();
    let bucket = buckets.get(keyId);
    if (!bucket) {
      bucket = { tokens: rpm, at: now };
      buckets.set(keyId, bucket);
    }
    bucket.tokens = Math.min(rpm, bucket.tokens + ((now - bucket.at) * rpm) / 60_000);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

// Costs are kept to 1e-9 USD (see computeCost); sums of floats are rounded back to that.
function round(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
