import type { ProviderDefinition } from "../providers/provider-definition.ts";
import type { CatalogEntry } from "./catalog.ts";

/** USD per million tokens, as the catalog and the config's `prices` give them. */
export type Pricing = NonNullable<CatalogEntry["pricing"]>;

/** The price of a model that runs on this machine (a GGUF file, an Ollama tag): nothing per token. */
const RUNS_LOCALLY: Pricing = { inputPerMTok: 0, outputPerMTok: 0 };

/** What a price is looked up by: a resolved model (see ProviderRegistry.resolve). */
export interface PricedModel {
  /** `provider:model`, the key of the config's `prices`. */
  reference: string;
  definition: Pick<ProviderDefinition, "runsLocally">;
  catalogEntry: Pick<CatalogEntry, "pricing"> | undefined;
}

/**
 * The one price rule: models that run on this machine cost nothing per token; otherwise the
 * config's `prices` entry for the model's reference wins (the operator knows their own contract
 * and their own servers), then the catalog's price. Undefined: the price is unknown, and an
 * unknown price is never taken for 0.
 */
export function resolvePricing(
  model: PricedModel,
  prices: Readonly<Record<string, Pricing>>,
): Pricing | undefined {
  if (model.definition.runsLocally) return RUNS_LOCALLY;
  const configured = Object.hasOwn(prices, model.reference) ? prices[model.reference] : undefined;
  return configured ?? model.catalogEntry?.pricing ?? undefined;
}
