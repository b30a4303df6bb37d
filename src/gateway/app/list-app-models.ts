import { type CatalogEntry, listCatalog } from "../../catalog/catalog.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { listLocalModels } from "../../local/list-local-models.ts";
import type { ProviderCategory } from "../../providers/provider-definition.ts";
import { createProviderRegistry } from "../../providers/provider-registry.ts";

export interface AppModel {
  /** `provider:model`, what /v1/chat/completions takes as `model`. */
  reference: string;
  name: string;
  provider: string;
  providerLabel: string;
  configured: boolean;
  /** How to configure the provider (its key variable, its server...). */
  setup: string;
  weights: "open" | "closed" | null;
  contextWindow: number | null;
  /** USD per million tokens; null when unknown (never shown as free). */
  pricing: CatalogEntry["pricing"];
  pricesAsOf: string | null;
}

export interface AppModelGroup {
  category: ProviderCategory;
  label: string;
  models: AppModel[];
}

export interface AppModelList {
  /** The model the UI starts on: LLMUX_MODEL, else the config's defaultModel, else the built-in default. */
  defaultModel: string;
  groups: AppModelGroup[];
}

const GROUP_LABELS: Record<ProviderCategory, string> = {
  frontier: "Frontier cloud",
  managed: "Managed cloud",
  server: "Open-weight via a server",
  local: "In-process local",
};

// A model file or Ollama tag the catalog does not list costs nothing per token (as createLlmux bills it).
const RUNS_LOCALLY: CatalogEntry["pricing"] = { inputPerMTok: 0, outputPerMTok: 0 };

/**
 * The model picker's list: the catalog's chat models, the models of configured endpoints and the
 * models installed locally, grouped by how they are reached, each saying whether it is configured.
 */
export async function listAppModels(config: LlmuxConfig): Promise<AppModelList> {
  const registry = createProviderRegistry(config);
  const configured = new Map<string, boolean>();
  const isConfigured = (provider: string) => {
    let value = configured.get(provider);
    if (value === undefined) {
      value = registry.isConfigured(provider);
      configured.set(provider, value);
    }
    return value;
  };
  const models = new Map<string, AppModel>();
  const add = (provider: string, model: string, facts: Partial<AppModel>) => {
    const reference = `${provider}:${model}`;
    const definition = registry.providers.get(provider);
    if (!definition || models.has(reference)) return;
    models.set(reference, {
      reference,
      name: model,
      provider,
      providerLabel: definition.label,
      configured: isConfigured(provider),
      setup: definition.setup,
      weights: null,
      contextWindow: null,
      pricing: null,
      pricesAsOf: null,
      ...facts,
    });
  };

  for (const entry of listCatalog()) {
    if (entry.embedding) continue;
    add(entry.provider, entry.model, {
      name: entry.name,
      weights: entry.weights,
      contextWindow: entry.contextWindow,
      pricing: entry.pricing,
      pricesAsOf: entry.pricesAsOf,
    });
  }
  for (const [id, endpoint] of Object.entries(config.file.endpoints)) {
    for (const model of endpoint.models ?? []) add(id, model, { weights: "open" });
  }
  const local = await listLocalModels({ modelsDir: config.paths.models, env: config.env });
  for (const model of local) {
    if (model.problem) continue;
    add(model.source === "ollama" ? "ollama" : "local", model.name, {
      weights: "open",
      contextWindow: model.contextLength ?? null,
      pricing: RUNS_LOCALLY,
    });
  }

  const defaultModel = resolveDefault(registry);
  if (!models.has(defaultModel)) {
    const [provider, ...rest] = defaultModel.split(":");
    add(provider ?? "", rest.join(":"), {});
  }

  const groups = (Object.keys(GROUP_LABELS) as ProviderCategory[]).map((category) => ({
    category,
    label: GROUP_LABELS[category],
    models: [...models.values()].filter((m) => registry.providers.get(m.provider)?.category === category),
  }));
  return { defaultModel, groups: groups.filter((g) => g.models.length > 0) };
}

function resolveDefault(registry: ReturnType<typeof createProviderRegistry>): string {
  const reference = registry.defaultModel();
  try {
    return registry.resolve(reference).reference;
  } catch {
    // A default that names no known model is still what the user asked for; the call will say why.
    return reference;
  }
}
