import { type CatalogEntry, listCatalog } from "../catalog/catalog.ts";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { type Pricing, resolvePricing } from "../catalog/resolve-pricing.ts";
import { createModelReadiness, type ModelStatus } from "./create-model-readiness.ts";
import type { ProviderCategory, ProviderDefinition, ProviderReadiness } from "./provider-definition.ts";
import type { ProviderRegistry, ResolvedModel } from "./provider-registry.ts";

/** One model with every fact a listing shows (`llmux models`, GET /v1/models, the model picker). */
export interface ListedModel extends ModelStatus {
  /** `provider:model`. */
  reference: string;
  provider: string;
  providerLabel: string;
  category: ProviderCategory;
  model: string;
  name: string;
  family: string | null;
  weights: "open" | "closed" | null;
  contextWindow: number | null;
  /** What a call would cost (resolvePricing's rule); null when unknown, never taken for free. */
  pricing: Pricing | null;
  /** The date of the catalog's price; null for any other price. */
  pricesAsOf: string | null;
  embedding: boolean;
  /** How to set its provider up (its key variable, its server...). */
  setup: string;
  /** Bytes `llmux pull` would fetch: a local catalog model not downloaded yet; else null. */
  downloadBytes: number | null;
}

/** An alias of the config file that leads to a model, with that model's status. */
export interface ListedAlias extends ModelStatus {
  alias: string;
  /** The model it leads to, `provider:model`. */
  reference: string;
}

export interface ModelListing {
  /** The catalog's models, then those the providers report (Ollama's, endpoints', local files), in catalog order of providers. */
  models: ListedModel[];
  aliases: ListedAlias[];
  /** The model calls use when none is named, and its row; none when it names no model (or one outside `provider`). */
  defaultModel: { reference: string; model: ListedModel | undefined };
}

/**
 * The models llmux knows, each with its facts and whether it answers now (createModelReadiness),
 * the aliases that lead to one, and the default. With `provider`, only what leads to that
 * provider's models, so no other provider is asked.
 */
export async function listModels(
  registry: ProviderRegistry,
  { provider }: { provider?: string } = {},
): Promise<ModelListing> {
  const readiness = createModelReadiness(registry);
  const inScope = (id: string) => registry.providers.has(id) && (provider === undefined || id === provider);
  const rowOf = async (
    definition: ProviderDefinition,
    modelId: string,
    entry: CatalogEntry | undefined,
    reported?: ProviderReadiness["models"][number],
  ): Promise<ListedModel> => {
    const reference = `${definition.id}:${modelId}`;
    const pricing =
      resolvePricing({ reference, definition, catalogEntry: entry }, registry.config.file.prices) ?? null;
    const status = await readiness.status(definition.id, modelId);
    return {
      reference,
      provider: definition.id,
      providerLabel: definition.label,
      category: definition.category,
      model: modelId,
      name: entry?.name ?? modelId,
      family: entry?.family ?? null,
      weights: entry?.weights ?? reported?.weights ?? null,
      contextWindow: entry?.contextWindow ?? reported?.contextWindow ?? null,
      pricing,
      // The catalog's date dates the catalog's price only.
      pricesAsOf: entry && pricing === entry.pricing ? entry.pricesAsOf : null,
      embedding: entry?.embedding ?? false,
      setup: definition.setup,
      ...status,
      // Only local catalog entries have a GGUF source (the catalog's schema), so only they have a size.
      downloadBytes: status.reason === "not downloaded" ? (entry?.gguf?.sizeBytes ?? null) : null,
    };
  };

  const providers = [...registry.providers.keys()].filter(inScope);
  // Every probe at once: a listing waits for the slowest server, not for their sum.
  const reported = await Promise.all(providers.map(async (id) => [id, await readiness.report(id)] as const));
  // Providers in catalog order, then the ones the catalog does not know (declared endpoints).
  const byProvider = new Map<string, ListedModel[]>();
  for (const entry of listCatalog()) {
    if (!inScope(entry.provider)) continue;
    const rows = byProvider.get(entry.provider) ?? [];
    rows.push(await rowOf(registry.providers.get(entry.provider)!, entry.model, entry));
    byProvider.set(entry.provider, rows);
  }
  for (const [id, report] of reported) {
    const rows = byProvider.get(id) ?? [];
    for (const model of report.models) {
      if (rows.some((row) => row.model === model.id)) continue;
      rows.push(await rowOf(registry.providers.get(id)!, model.id, findCatalogEntry(id, model.id), model));
    }
    if (rows.length > 0) byProvider.set(id, rows);
  }
  const models = [...byProvider.values()].flat();

  // A model the list lacks (a name the catalog does not know, say) gets its row all the same.
  const rowFor = async (reference: string): Promise<ListedModel | undefined> => {
    let resolved: ResolvedModel;
    try {
      resolved = registry.resolve(reference);
    } catch {
      return undefined;
    }
    if (!inScope(resolved.provider)) return undefined;
    const listed = models.find((m) => m.reference === resolved.reference);
    return listed ?? rowOf(resolved.definition, resolved.modelId, resolved.catalogEntry);
  };

  const aliases: ListedAlias[] = [];
  for (const alias of Object.keys(registry.config.file.aliases)) {
    const target = await rowFor(alias);
    if (target)
      aliases.push({ alias, reference: target.reference, ready: target.ready, reason: target.reason });
  }
  const reference = registry.defaultModel();
  const model = await rowFor(reference);
  return { models, aliases, defaultModel: { reference: model?.reference ?? reference, model } };
}
