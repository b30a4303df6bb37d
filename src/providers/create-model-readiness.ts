import { join } from "node:path";
import { type CatalogEntry, listCatalog } from "../catalog/catalog.ts";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { resolvePricing } from "../catalog/resolve-pricing.ts";
import { createServerProbe } from "./create-server-probe.ts";
import type { NotReadyReason, ProviderReadiness } from "./provider-definition.ts";
import type { ProviderRegistry } from "./provider-registry.ts";

/** Whether a model answers now; when not, why, in one word. */
export interface ModelStatus {
  ready: boolean;
  reason: NotReadyReason | null;
}

/** A model of the catalog or one a provider reports, with its facts and status. */
export interface KnownModel extends ModelStatus {
  /** `provider:model`. */
  reference: string;
  provider: string;
  model: string;
  name: string;
  catalogEntry: CatalogEntry | undefined;
  weights: "open" | "closed" | null;
  contextWindow: number | null;
  pricing: CatalogEntry["pricing"];
  pricesAsOf: string | null;
  embedding: boolean;
}

export interface ModelReadiness {
  /**
   * The catalog's models and those providers report (Ollama's pulled ones, endpoints' lists,
   * the installed local ones), catalog order first, each with its status.
   */
  list(options?: { provider?: string }): Promise<KnownModel[]>;
  /** The status of any model reference, alias or bare name; throws when it names no model. */
  check(reference: string): Promise<ModelStatus>;
}

/**
 * The one place that decides whether a model will answer now: a key for cloud providers, the
 * file on disk for the embedded engine, a recent answer to a probe for servers (Ollama and
 * declared endpoints). Each provider is asked once, and only when one of its models is.
 */
export function createModelReadiness(registry: ProviderRegistry): ModelReadiness {
  // Shared by every process of one user, so repeated commands don't probe again.
  const probe = createServerProbe(join(registry.config.paths.dataDir, "probes.json"));
  const reports = new Map<string, Promise<ProviderReadiness>>();

  const reportOf = (id: string): Promise<ProviderReadiness> => {
    let report = reports.get(id);
    if (!report) {
      const definition = registry.providers.get(id);
      const context = { config: registry.config, settings: registry.config.file.providers[id] ?? {}, probe };
      report =
        definition?.checkReadiness?.(context) ??
        Promise.resolve({ reason: definition?.isConfigured(context) ? null : "no key", models: [] });
      reports.set(id, report);
    }
    return report;
  };

  const statusOf = async (provider: string, modelId: string): Promise<ModelStatus> => {
    const report = await reportOf(provider);
    if (report.reason) return { ready: false, reason: report.reason };
    if (report.hasModel && !(await report.hasModel(modelId)))
      return { ready: false, reason: "not downloaded" };
    return { ready: true, reason: null };
  };

  // What a call would cost (resolvePricing: free on this machine, the config's prices, the catalog's).
  const priceOf = (id: string, modelId: string, entry: CatalogEntry | undefined) => {
    const definition = registry.providers.get(id)!;
    const pricing =
      resolvePricing(
        { reference: `${id}:${modelId}`, definition, catalogEntry: entry },
        registry.config.file.prices,
      ) ?? null;
    // The catalog's date dates the catalog's price only.
    return { pricing, pricesAsOf: entry && pricing === entry.pricing ? entry.pricesAsOf : null };
  };

  return {
    async list({ provider } = {}) {
      const providers = provider === undefined ? [...registry.providers.keys()] : [provider];
      // Every probe at once: a listing waits for the slowest server, not for their sum.
      const reported = await Promise.all(providers.map(async (id) => [id, await reportOf(id)] as const));
      // Providers in catalog order, then the ones the catalog does not know (declared endpoints).
      const byProvider = new Map<string, KnownModel[]>();
      for (const entry of listCatalog()) {
        if (!providers.includes(entry.provider) || !registry.providers.has(entry.provider)) continue;
        const rows = byProvider.get(entry.provider) ?? [];
        rows.push({
          reference: `${entry.provider}:${entry.model}`,
          provider: entry.provider,
          model: entry.model,
          name: entry.name,
          catalogEntry: entry,
          weights: entry.weights,
          contextWindow: entry.contextWindow,
          ...priceOf(entry.provider, entry.model, entry),
          embedding: entry.embedding,
          ...(await statusOf(entry.provider, entry.model)),
        });
        byProvider.set(entry.provider, rows);
      }
      for (const [id, report] of reported) {
        const rows = byProvider.get(id) ?? [];
        for (const model of report.models) {
          if (rows.some((row) => row.model === model.id)) continue;
          const entry = findCatalogEntry(id, model.id);
          rows.push({
            reference: `${id}:${model.id}`,
            provider: id,
            model: model.id,
            name: entry?.name ?? model.id,
            catalogEntry: entry,
            weights: entry?.weights ?? model.weights ?? null,
            contextWindow: entry?.contextWindow ?? model.contextWindow ?? null,
            ...priceOf(id, model.id, entry),
            embedding: entry?.embedding ?? false,
            ...(await statusOf(id, model.id)),
          });
        }
        if (rows.length > 0) byProvider.set(id, rows);
      }
      return [...byProvider.values()].flat();
    },
    async check(reference) {
      const resolved = registry.resolve(reference);
      return statusOf(resolved.provider, resolved.modelId);
    },
  };
}
