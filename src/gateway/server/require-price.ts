import { type PricedModel, type Pricing, resolvePricing } from "../../catalog/resolve-pricing.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";

/**
 * The price of a model a budgeted key asks for (resolvePricing): without one the gateway could
 * not hold the request's cost against the budget, so it is a 400 naming the model and the fix.
 */
export function requirePrice(
  model: PricedModel,
  key: GatewayKey,
  prices: Readonly<Record<string, Pricing>>,
): Pricing {
  const pricing = resolvePricing(model, prices);
  if (pricing) return pricing;
  throw new RequestError(
    400,
    `${model.reference} has no known price, and the key ${key.id} has a budget: give the model a price under "prices" in the gateway's config.json (e.g. "prices": { "${model.reference}": { "inputPerMTok": 0.2, "outputPerMTok": 0.6 } }), or use a key without a budget`,
    { param: "model", code: "model_price_unknown" },
  );
}
