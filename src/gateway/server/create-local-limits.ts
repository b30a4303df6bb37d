import type { BudgetHold, Limits } from "./limits.ts";

/** A key's tokens per second over the last 60 s: a ring indexed by unix second modulo 60. */
interface TokenWindow {
  counts: number[];
  /** The latest second counted: slots of older seconds than 60 before it are cleared. */
  second: number;
  total: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Limits counted in this process: token buckets refilled continuously for rpm, tokens per second
 * over the last minute for tpm (`now`: the clock, in ms, for tests), and spend (starting
 * from `spent`, the usage log's) plus holds per key. Check and hold happen in one synchronous
 * step, as do release and charge: no other request runs in between.
 */
export function createLocalLimits(spent: Map<string, number>, now: () => number = Date.now): Limits {
  const windows = new Map<string, TokenWindow>();
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
    admitTokens: async (keyId, tpm) => admitTokens(keyId, tpm),
    addTokens(keyId, tokens) {
      if (!(tokens > 0)) return;
      const second = Math.floor(now() / 1000);
      const window = windowAt(keyId, second);
      window.counts[second % 60]! += tokens;
      window.total += tokens;
    },
    hold: async (keyId, budgetUsd, amountUsd) => hold(keyId, budgetUsd, amountUsd),
    balance: (keyId) => ({ spentUsd: spent.get(keyId) ?? 0, reservedUsd: reserved.get(keyId) ?? 0 }),
    close: async () => undefined,
  };

  /** The key's window, its slots of seconds that left the last minute cleared (at most 60 steps). */
  function windowAt(keyId: string, second: number): TokenWindow {
    let window = windows.get(keyId);
    if (!window) {
      window = { counts: new Array<number>(60).fill(0), second, total: 0 };
      windows.set(keyId, window);
    }
    if (second - window.second >= 60) {
      window.counts.fill(0);
      window.total = 0;
    } else {
      for (let s = window.second + 1; s <= second; s++) {
        window.total -= window.counts[s % 60]!;
        window.counts[s % 60] = 0;
      }
    }
    if (second > window.second) window.second = second;
    return window;
  }

  function admitTokens(keyId: string, tpm: number): { admitted: boolean; retryAfterSeconds: number } {
    const second = Math.floor(now() / 1000);
    const window = windows.get(keyId);
    if (!window) return { admitted: true, retryAfterSeconds: 0 };
    windowAt(keyId, second);
    if (window.total < tpm) return { admitted: true, retryAfterSeconds: 0 };
    // The oldest seconds leave first: the count drops below tpm once enough of them have.
    let left = window.total;
    for (let age = 59; age >= 0; age--) {
      left -= window.counts[(second - age) % 60]!;
      if (left < tpm) return { admitted: false, retryAfterSeconds: 60 - age };
    }
    return { admitted: false, retryAfterSeconds: 60 };
  }

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
