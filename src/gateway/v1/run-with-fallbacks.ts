import { setTimeout as sleep } from "node:timers/promises";
import { APICallError } from "@ai-sdk/provider";
import { toLlmuxError } from "../../client/to-llmux-error.ts";
import { type ErrorKind, isLlmuxError, LlmuxError } from "../../core/errors.ts";
import { RequestError } from "../openai/request-error.ts";
import type { Pool } from "../pools/create-pools.ts";
import type { DeploymentHealth } from "../pools/deployment-health.ts";
import type { RequestSample } from "../server/create-metrics.ts";
import type { AttemptRecord, AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import type { GatewayContext } from "./gateway-context.ts";

type AttemptResult<T> =
  | { ok: true; route: ModelRoute; value: T }
  | { ok: false; route: ModelRoute | undefined; error: LlmuxError | RequestError };

// Worth another try of the same model: the provider may answer next time, also when it was down
// (refused, reset) or its name did not resolve for a moment; a TLS failure will not go away.
const RETRYABLE: ReadonlySet<ErrorKind> = new Set([
  "rate_limited",
  "provider_error",
  "network",
  "connection_refused",
  "dns",
]);
// Not worth another model: the request itself is wrong, or nobody is waiting.
const FINAL: ReadonlySet<ErrorKind> = new Set(["bad_request", "usage", "unsupported", "aborted"]);
const MAX_DELAY_MS = 8000;

/**
 * Runs `attempt` on the model `name` asked for, retrying with exponential backoff (or the
 * provider's retry-after) on 429, 5xx and connection errors, then on each of its configured
 * fallback models in turn. A pool's name (`gateway.pools`) runs on one of its deployments instead,
 * and a failure moves to another of them at once (see runOnPool) before the fallbacks. Nothing is
 * retried once `state` says bytes reached the client, or once the client has gone. A name that
 * does not resolve fails like an attempt, so its fallbacks still run (a provider without a key, say).
 */
export async function runWithFallbacks<T>(
  context: GatewayContext,
  name: string,
  state: AttemptState,
  attempt: (route: ModelRoute) => Promise<T>,
  /** The metrics series retries are counted on. */
  labels: Pick<RequestSample, "route" | "dialect">,
): Promise<AttemptResult<T>> {
  const gateway = context.config.file.gateway;
  const maxRetries = gateway.maxRetries ?? context.config.file.maxRetries;
  const candidates = [name];
  let primary: string | undefined;
  let last: AttemptResult<T> | undefined;
  for (let index = 0; index < candidates.length; index++) {
    const pool = context.pools.get(candidates[index]!);
    let route: ModelRoute | undefined;
    if (!pool) {
      try {
        route = context.modelRoutes.get(candidates[index]!);
      } catch (error) {
        last = { ok: false, route: undefined, error: error as LlmuxError };
      }
    }
    // What the metrics call it: the pool's name, the model's reference.
    const label = pool?.name ?? route?.resolved.reference;
    if (index === 0) {
      candidates.push(...(route?.fallbacks ?? gateway.fallbacks[name] ?? []));
      primary = label;
    } else if (label !== undefined) {
      context.metrics.fellBack(primary ?? name, label);
    }
    if (pool) {
      last = await runOnPool(context, pool, state, attempt, labels);
      if (last.ok || isFinal(last.error, state)) return last;
      continue;
    }
    if (!route) continue;
    for (let retry = 0; ; retry++) {
      last = await attemptOnce(context, route, state, attempt);
      if (last.ok) return last;
      const { error } = last;
      if (isFinal(error, state)) return last;
      if (error instanceof RequestError || !isRetryable(error) || retry >= maxRetries) break;
      const delay = retryDelay(error, retry, gateway.retryBaseMs);
      if (delay === undefined) break;
      context.metrics.retried({
        ...labels,
        model: route.resolved.reference,
        provider: route.resolved.provider,
      });
      await sleep(delay);
      if (state.clientGone) return last;
    }
  }
  return last!;
}

/**
 * One pool: a deployment chosen per attempt (strategy, stickiness, health), counted in flight
 * while it runs, its success (with its time to first byte) or failure recorded when it settles.
 * A failure before the first byte moves at once to another deployment not tried yet, never the
 * same one, until none is left; then the caller goes on to the fallbacks. Failures that say the
 * deployment is unwell (retryable kinds, timeouts) count towards its ejection.
 */
async function runOnPool<T>(
  context: GatewayContext,
  pool: Pool,
  state: AttemptState,
  attempt: (route: ModelRoute) => Promise<T>,
  labels: Pick<RequestSample, "route" | "dialect">,
): Promise<AttemptResult<T>> {
  const tried = new Set<DeploymentHealth>();
  let last: AttemptResult<T> | undefined;
  for (let deployment = pool.choose(state, tried); deployment; deployment = pool.choose(state, tried)) {
    tried.add(deployment);
    let route: ModelRoute;
    try {
      route = context.modelRoutes.get(deployment.model);
    } catch (error) {
      last = { ok: false, route: undefined, error: error as LlmuxError };
      continue;
    }
    if (last?.route) {
      const { reference, provider } = last.route.resolved;
      context.metrics.retried({ ...labels, model: reference, provider });
    }
    deployment.start();
    const startedAt = performance.now();
    last = await attemptOnce(context, route, state, attempt);
    const now = Date.now();
    if (last.ok) {
      const answeredAt = state.firstByteAt > startedAt ? state.firstByteAt : performance.now();
      // An answer the upstream broke off after its first bytes (RelayResult.lateError) is no success.
      const broke = (last.value as { lateError?: unknown } | undefined)?.lateError && !state.clientGone;
      if (broke) deployment.fail(true, now);
      else deployment.succeed(answeredAt - startedAt, now);
      return last;
    }
    const { error } = last;
    const unwell = !(error instanceof RequestError) && (isRetryable(error) || error.kind === "timeout");
    deployment.fail(unwell, now);
    if (isFinal(error, state)) return last;
  }
  return (
    last ?? {
      ok: false,
      route: undefined,
      error: new LlmuxError("busy", `Every deployment of pool "${pool.name}" is at its maxConcurrent`, {
        hint: "Try again in a moment, or raise maxConcurrent in gateway.pools",
        retryAfterSeconds: 1,
      }),
    }
  );
}

/** One call of `route`, recorded on `state.attempts` (one record per call, for traces). */
async function attemptOnce<T>(
  context: GatewayContext,
  route: ModelRoute,
  state: AttemptState,
  attempt: (route: ModelRoute) => Promise<T>,
): Promise<AttemptResult<T>> {
  const record: AttemptRecord = {
    resolved: route.resolved,
    startedAt: performance.now(),
    endedAt: 0,
    errorKind: undefined,
  };
  state.attempts.push(record);
  try {
    const value = await attempt(route);
    record.endedAt = performance.now();
    return { ok: true, route, value };
  } catch (thrown) {
    const error = thrown instanceof RequestError ? thrown : mapError(thrown, route, context);
    record.endedAt = performance.now();
    record.errorKind = error instanceof RequestError ? (error.code ?? error.type) : error.kind;
    return { ok: false, route, error };
  }
}

// Nothing more is tried: the request itself is wrong, bytes reached the client, or nobody waits.
function isFinal(error: LlmuxError | RequestError, state: AttemptState): boolean {
  return error instanceof RequestError || state.committed || state.clientGone || FINAL.has(error.kind);
}

// A 408/504 from the provider is worth another try; the gateway's own timeout is not (time is up).
function isRetryable(error: LlmuxError): boolean {
  return RETRYABLE.has(error.kind) || (error.kind === "timeout" && error.status !== undefined);
}

function mapError(error: unknown, route: ModelRoute, context: GatewayContext): LlmuxError {
  if (isLlmuxError(error)) return error;
  const { definition, reference } = route.resolved;
  return toLlmuxError(error, {
    reference,
    providerLabel: definition.label,
    keyEnv: definition.keyEnv,
    env: context.config.env,
  });
}

// Exponential with jitter; a provider's retry-after wins, and one beyond the cap means "not now"
// (undefined: go to the fallbacks instead of holding the client).
function retryDelay(error: LlmuxError, retry: number, baseMs: number): number | undefined {
  const asked = retryAfterMs(error.cause);
  if (asked !== undefined) return asked <= MAX_DELAY_MS ? asked : undefined;
  const backoff = Math.min(MAX_DELAY_MS, baseMs * 2 ** retry);
  return backoff * (0.5 + Math.random() / 2);
}

function retryAfterMs(cause: unknown): number | undefined {
  const apiError = APICallError.isInstance(cause) ? cause : undefined;
  const headers = apiError?.responseHeaders;
  if (!headers) return undefined;
  const ms = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] !== undefined && Number.isFinite(ms)) return Math.max(0, ms);
  const value = headers["retry-after"];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
