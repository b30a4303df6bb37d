import type { IncomingHttpHeaders } from "node:http";
import type { KeyStore } from "../../store/create-key-store.ts";
import { type GatewayKey, hashGatewayToken } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { createLocalLimits } from "./create-local-limits.ts";
import type { Limits } from "./limits.ts";

export interface KeyGuard {
  /** Whether any key was ever created: then every /v1 and /app/api request needs an active one. */
  hasKeys(): boolean;
  /**
   * The key a request presents (`Authorization: Bearer <token>`, the scheme in any case); a 401
   * when keys exist and it presents none or an unknown one.
   */
  /**
   * The key a request presents, as `Authorization: Bearer <key>` or (Anthropic's clients)
   * `x-api-key: <key>`; undefined while no key exists.
   */
  authenticate(headers: IncomingHttpHeaders): GatewayKey | undefined;
  /** The key's model allowlist (403) for one request to `names` (as asked, as resolved). */
  allow(key: GatewayKey, names: readonly string[]): void;
  /**
   * Admits a request under the key's tokens per minute (429 with Retry-After when its last 60 s
   * used tpm or more), then counts it against its requests per minute (429 when none is left; 503 when
   * the shared counters are unreachable and limits fail closed).
   */
  limitRate(key: GatewayKey): Promise<void>;
  /** Counts a finished request's tokens against its key's tpm (nothing for keys without one). */
  countTokens(key: GatewayKey, tokens: number): void;
  /** allow, then limitRate: what every model request goes through. */
  authorize(key: GatewayKey, names: readonly string[]): Promise<void>;
  /**
   * Sets aside `worstCaseUsd` of the key's budget for a request about to start, or refuses it
   * (429 insufficient_quota) when what the key spent, what its requests in flight hold and this
   * would pass the budget (503 when the shared counters are unreachable and limits fail closed).
   * Keys without a budget always get one (it still counts their spend).
   */
  reserve(key: GatewayKey, worstCaseUsd: number): Promise<Reservation>;
  /** USD a key has spent (settled requests) and holds (requests in flight), as this gateway counts them. */
  balance(keyId: string): { spentUsd: number; reservedUsd: number };
  /** Re-reads the keys now (the background does every `reloadMs`). */
  reload(): Promise<void>;
  /** Stops re-reading the keys. */
  close(): void;
}

/** A request's hold on its key's budget. */
export interface Reservation {
  /** What was set aside, in USD. */
  readonly amountUsd: number;
  /** Releases the hold and charges what the request really cost; only the first call counts. */
  settle(costUsd: number): void;
}

/**
 * Gateway keys, re-read from the store in the background every `reloadMs` (so `llmux keys create`
 * and `revoke`, on this machine or any replica's, take effect within a second without a restart),
 * while authenticate stays synchronous on the keys read last; when the store is unreachable those
 * stay in force (one log line). A request in flight holds its worst-case cost (reserve), so
 * concurrent requests can never take a key past its budget together. The counters are `limits`:
 * this process's by default (spend starting from the usage log), or Redis's, shared by replicas.
 */
export async function createKeyGuard(
  store: KeyStore,
  options: { reloadMs?: number; log?: (line: string) => void; limits?: Limits } = {},
): Promise<KeyGuard> {
  const { reloadMs = 500, log = (line: string) => process.stderr.write(`llmux: ${line}\n`) } = options;
  let byHash = new Map<string, GatewayKey>();
  // Revoking the last key must not open the gateway to everyone: any key, even revoked, closes it.
  let required = false;
  const limits = options.limits ?? createLocalLimits(await store.spend());

  const reload = async () => {
    const all = await store.list();
    required = all.length > 0;
    const active = all.filter((k) => k.revokedAt === null);
    byHash = new Map(active.map((k) => [k.tokenSha256, k]));
  };
  await reload();
  let reloading = false;
  let failing = false;
  const timer = setInterval(() => {
    if (reloading) return;
    reloading = true;
    reload()
      .then(
        () => {
          if (failing) log("gateway keys are read from the store again");
          failing = false;
        },
        (error: Error) => {
          if (!failing)
            log(`could not re-read gateway keys (${error.message}): the keys read last stay in force`);
          failing = true;
        },
      )
      .finally(() => {
        reloading = false;
      });
  }, reloadMs);
  timer.unref();

  return {
    hasKeys: () => required,
    authenticate(headers) {
      if (!required) return undefined;
      const { authorization } = headers;
      const apiKey = headers["x-api-key"];
      const token =
        authorization === undefined
          ? typeof apiKey === "string" && apiKey !== ""
            ? apiKey.trim()
            : undefined
          : BEARER.exec(authorization)?.[1];
      if (!token) {
        throw new RequestError(
          401,
          "This gateway needs a key: send Authorization: Bearer <key> or x-api-key: <key> (its operator creates keys)",
          { code: "missing_api_key" },
        );
      }
      const key = byHash.get(hashGatewayToken(token));
      if (!key) {
        throw new RequestError(401, "Incorrect or revoked gateway key provided", { code: "invalid_api_key" });
      }
      return key;
    },
    allow,
    limitRate,
    countTokens(key, tokens) {
      if (key.tpm !== null) limits.addTokens(key.id, tokens);
    },
    async authorize(key, names) {
      allow(key, names);
      await limitRate(key);
    },
    async reserve(key, worstCaseUsd) {
      const amount = Math.max(0, worstCaseUsd);
      const hold = await limits.hold(key.id, key.budgetUsd, amount);
      if (!hold.held) {
        const { spentUsd, heldUsd } = hold;
        const held = heldUsd > 0 ? ` ($${heldUsd.toFixed(6)} more is held by its requests in flight)` : "";
        throw new RequestError(
          429,
          `Budget exhausted for key ${key.id}: it has spent $${spentUsd.toFixed(6)} of its $${key.budgetUsd} budget${held}, and this request could cost up to $${amount.toFixed(6)}; ask for fewer tokens (max_tokens) or for a larger budget`,
          { type: "insufficient_quota", code: "insufficient_quota" },
        );
      }
      let settled = false;
      return {
        amountUsd: amount,
        settle(costUsd) {
          if (settled) return;
          settled = true;
          hold.release(Math.max(0, costUsd));
        },
      };
    },
    balance: (keyId) => limits.balance(keyId),
    reload,
    close: () => clearInterval(timer),
  };

  function allow(key: GatewayKey, names: readonly string[]): void {
    if (key.models && !names.some((name) => allows(key.models!, name))) {
      throw new RequestError(
        403,
        `The key ${key.id} may not use ${names[0]}; it may use: ${key.models.join(", ")}`,
        { code: "model_not_allowed", param: "model" },
      );
    }
  }

  async function limitRate(key: GatewayKey): Promise<void> {
    // Checked first: a request refused for its tokens takes none of the key's requests per minute.
    if (key.tpm !== null) {
      const { admitted, retryAfterSeconds } = await limits.admitTokens(key.id, key.tpm);
      if (!admitted) {
        throw new RequestError(429, `Rate limit reached for key ${key.id}: ${key.tpm} tokens per minute`, {
          type: "tokens",
          code: "rate_limit_exceeded",
          retryAfterSeconds,
        });
      }
    }
    if (key.rpm !== null && !(await limits.takeRequest(key.id, key.rpm))) {
      throw new RequestError(429, `Rate limit reached for key ${key.id}: ${key.rpm} requests per minute`, {
        type: "requests",
        code: "rate_limit_exceeded",
      });
    }
  }
}

// RFC 7235: the scheme is case-insensitive; spaces around the token are tolerated.
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

function allows(models: readonly string[], name: string): boolean {
  return models.some((m) => m === name || (m.endsWith(":*") && name.startsWith(m.slice(0, -1))));
}
