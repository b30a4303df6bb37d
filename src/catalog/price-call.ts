import { computeCost, type TokenUsage } from "./compute-cost.ts";
import { type PricedModel, type Pricing, resolvePricing } from "./resolve-pricing.ts";

/**
 * The USD cost of one call to a model (resolvePricing's price, cached input at the cache rate);
 * null when the price or the token counts are unknown. A model on this machine costs nothing
 * even when its engine reported no counts.
 */
export function priceCall(
  model: PricedModel,
  prices: Readonly<Record<string, Pricing>>,
  usage: TokenUsage,
): number | null {
  if (model.definition.runsLocally) return 0;
  return computeCost({ pricing: resolvePricing(model, prices) ?? null }, usage);
}
