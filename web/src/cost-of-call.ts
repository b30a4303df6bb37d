import { computeCost } from "../../src/catalog/compute-cost.ts";
import type { AppModel } from "../../src/gateway/app/app-api-types.ts";

/** USD of a call at the model's catalog price (as the CLI bills it); null when the price or the counts are unknown. */
export function costOfCall(
  model: Pick<AppModel, "pricing"> | undefined,
  usage: { inputTokens: number | null; outputTokens: number | null },
): number | null {
  return computeCost(model, {
    inputTokens: usage.inputTokens ?? undefined,
    outputTokens: usage.outputTokens ?? undefined,
  });
}
