import { computeCost } from "../../catalog/compute-cost.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import type { Reservation } from "../server/create-key-guard.ts";
import { requirePrice } from "../server/require-price.ts";
import type { GatewayContext } from "./gateway-context.ts";

/**
 * Output tokens reserved when neither the request (max_tokens, max_completion_tokens) nor the
 * catalog (maxOutputTokens) bounds the answer. Documented in the README (Gateway: budgets).
 */
const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/** The most a request may use: its prompt, counted before it starts, and its output cap. */
export interface WorstCase {
  /** An upper bound (or close) of the prompt's tokens. */
  inputTokens: number;
  /** The request's own cap on output tokens; undefined when it set none. */
  maxOutputTokens: number | undefined;
}

/**
 * Holds the worst-case cost of a request on its key's budget before any model is called (see
 * KeyGuard.reserve): the prompt and the output cap at the highest price among the model asked for
 * and its fallbacks, cached input not assumed. A budgeted key cannot use a model without a known
 * price (the catalog's, the config's `prices`, or a local model's 0): that is a 400 naming it.
 * `worstCase` runs only for keys with a budget. Undefined without a key.
 */
export async function reserveBudget(
  context: GatewayContext,
  key: GatewayKey | undefined,
  name: string,
  worstCase: () => WorstCase,
): Promise<Reservation | undefined> {
  if (!key) return undefined;
  if (key.budgetUsd === null) return context.keys.reserve(key, 0);
  const { inputTokens, maxOutputTokens } = worstCase();
  let most = 0;
  for (const candidate of candidates(context, name)) {
    let route: ReturnType<GatewayContext["modelRoutes"]["get"]>;
    try {
      route = context.modelRoutes.get(candidate);
    } catch {
      continue; // It fails before any model is called, so it costs nothing.
    }
    const { resolved } = route;
    const pricing = requirePrice(resolved, key, context.config.file.prices);
    const outputTokens =
      maxOutputTokens ?? resolved.catalogEntry?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    most = Math.max(most, computeCost({ pricing }, { inputTokens, outputTokens }) ?? 0);
  }
  return context.keys.reserve(key, most);
}

// The model asked for (a pool: each of its deployments), then its fallbacks (as runWithFallbacks tries them).
function candidates(context: GatewayContext, name: string): string[] {
  const { fallbacks } = context.config.file.gateway;
  const pool = context.pools.get(name);
  if (pool) return [...pool.deployments.map((d) => d.model), ...(fallbacks[name] ?? [])];
  try {
    return [name, ...context.modelRoutes.get(name).fallbacks];
  } catch {
    return [name, ...(fallbacks[name] ?? [])];
  }
}
