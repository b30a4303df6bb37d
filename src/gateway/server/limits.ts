/**
 * The counters behind gateway keys' limits: requests and tokens per minute, and budget holds. In-process
 * (one gateway; createLocalLimits) or in Redis (shared by replicas; createRedisLimits).
 */
export interface Limits {
  /** Counts one request of the key against `rpm`; false when its minute is full. */
  takeRequest(keyId: string, rpm: number): Promise<boolean>;
  /**
   * Whether the tokens the key's requests used in the last 60 s (addTokens) are below `tpm`; when
   * not, the seconds until enough of them have left the window.
   */
  admitTokens(keyId: string, tpm: number): Promise<{ admitted: boolean; retryAfterSeconds: number }>;
  /** Counts a finished request's tokens (input + output) in the key's window; never throws. */
  addTokens(keyId: string, tokens: number): void;
  /**
   * Holds `amountUsd` of the key's budget unless what it spent, what its requests in flight hold
   * and this would pass `budgetUsd` (null: no budget; the hold only counts the spend), in one
   * atomic step.
   */
  hold(keyId: string, budgetUsd: number | null, amountUsd: number): Promise<BudgetHold>;
  /** USD a key has spent and holds, as this gateway counts them. */
  balance(keyId: string): { spentUsd: number; reservedUsd: number };
  /** Stops talking to a shared store (nothing to do in-process). */
  close(): Promise<void>;
}

/** A hold set aside, with its release; or the refusal, with what was spent and held then. */
export type BudgetHold =
  | { held: true; release(costUsd: number): void }
  | { held: false; spentUsd: number; heldUsd: number };
