import { computeCost } from "../../src/catalog/compute-cost.ts";
import type { AppModel } from "../../src/gateway/app/app-api-types.ts";

/**
 * USD of a call: the price the app API lists for the model (the server's one price rule:
 * free on the machine, the config's prices, else the catalog's) applied as the library and the
 * gateway apply it, cached input at the cache rate; null when the price or the counts are unknown.
 */
export function costOfCall(
  model: Pick<AppModel, "pricing"> | undefined,
  usage: { inputTokens: number | null; outputTokens: number | null; cachedInputTokens?: number | null },
): number | null {
  return computeCost(model, {
    inputTokens: usage.inputTokens ?? undefined,
    outputTokens: usage.outputTokens ?? undefined,
    cachedInputTokens: usage.cachedInputTokens ?? undefined,
  });
}
