import type Database from "better-sqlite3";
import {
  type GatewayKey,
  hashGatewayToken,
  listGatewayKeys,
  readGatewayKeySpend,
} from "../store/gateway-keys.ts";
import { RequestError } from "./request-error.ts";

export interface KeyGuard {
  /** Whether any key was ever created: then every /v1 request needs an active one. */
  hasKeys(): boolean;
  /** The key a request presents; a 401 when keys exist and it presents none or an unknown one. */
  authenticate(authorization: string | undefined): GatewayKey | undefined;
  /** Allowlist (403), requests per minute and budget (429) for one request to `names` (as asked, as resolved). */
  authorize(key: GatewayKey, names: readonly string[]): void;
  /** Adds a finished request's cost to its key's spend. */
  spend(keyId: string, costUsd: number): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Gateway keys, re-read from the database at most every `reloadMs` (so `llmux keys create` and
 * `revoke` take effect within a second without a restart). Spend starts from the usage log and
 * grows in memory as requests finish; rate limits are token buckets refilled continuously.
 */
export function createKeyGuard(db: Database.Database, options: { reloadMs?: number } = {}): KeyGuard {
  const reloadMs = options.reloadMs ?? 1000;
  let byHash = new Map<string, GatewayKey>();
  // Revoking the last key must not open the gateway to everyone: any key, even revoked, closes it.
  let required = false;
  let loadedAt = Number.NEGATIVE_INFINITY;
  const spent = readGatewayKeySpend(db);
  const buckets = new Map<string, Bucket>();

  const keys = () => {
    const now = performance.now();
    if (now - loadedAt >= reloadMs) {
      const all = listGatewayKeys(db);
      required = all.length > 0;
      byHash = new Map(all.filter((k) => k.revokedAt === null).map((k) => [k.tokenSha256, k]));
      loadedAt = now;
    }
    return byHash;
  };

  return {
    hasKeys: () => {
      keys();
      return required;
    },
    authenticate(authorization) {
      const active = keys();
      if (!required) return undefined;
      const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
      if (!token) {
        throw new RequestError(
          401,
          "This gateway needs a key: send Authorization: Bearer <key> (its operator creates keys)",
          { code: "missing_api_key" },
        );
      }
      const key = active.get(hashGatewayToken(token));
      if (!key) {
        throw new RequestError(401, "Incorrect or revoked gateway key provided", { code: "invalid_api_key" });
      }
      return key;
    },
    authorize(key, names) {
      if (key.models && !names.some((name) => allows(key.models!, name))) {
        throw new RequestError(
          403,
          `The key ${key.id} may not use ${names[0]}; it may use: ${key.models.join(", ")}`,
          { code: "model_not_allowed", param: "model" },
        );
      }
      if (key.rpm !== null && !take(key.id, key.rpm)) {
        throw new RequestError(429, `Rate limit reached for key ${key.id}: ${key.rpm} requests per minute`, {
          type: "requests",
          code: "rate_limit_exceeded",
        });
      }
      if (key.budgetUsd !== null && (spent.get(key.id) ?? 0) >= key.budgetUsd) {
        throw new RequestError(
          429,
          `Budget exhausted for key ${key.id}: it has spent $${(spent.get(key.id) ?? 0).toFixed(6)} of its $${key.budgetUsd} budget`,
          { type: "insufficient_quota", code: "insufficient_quota" },
        );
      }
    },
    spend(keyId, costUsd) {
      spent.set(keyId, (spent.get(keyId) ?? 0) + costUsd);
    },
  };

  function take(id: string, rpm: number): boolean {
    const now = performance.now();
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = { tokens: rpm, at: now };
      buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(rpm, bucket.tokens + ((now - bucket.at) * rpm) / 60_000);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

function allows(models: readonly string[], name: string): boolean {
  return models.some((m) => m === name || (m.endsWith(":*") && name.startsWith(m.slice(0, -1))));
}
