import { findCatalogEntry } from "../../catalog/find-catalog-entry.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import {
  createModelReadiness,
  type ModelReadiness,
  type ModelStatus,
} from "../../providers/create-model-readiness.ts";
import type { NotReadyReason, ProviderCategory } from "../../providers/provider-definition.ts";
import {
  createProviderRegistry,
  type ProviderRegistry,
  type ResolvedModel,
} from "../../providers/provider-registry.ts";
import type { AppModel, AppModelList } from "./app-api-types.ts";

const GROUP_LABELS: Record<ProviderCategory, string> = {
  frontier: "Frontier cloud",
  managed: "Managed cloud",
  server: "Open-weight via a server",
  local: "In-process local",
};

/**
 * The model picker's list: the catalog's chat models and those the providers report (Ollama's,
 * the endpoints', the local ones on disk), grouped by how they are reached, each saying whether
 * it answers now.
 */
export async function listAppModels(config: LlmuxConfig): Promise<AppModelList> {
  const registry = createProviderRegistry(config);
  const readiness = createModelReadiness(registry);
  const models = new Map<string, AppModel>();
  for (const known of await readiness.list()) {
    if (known.embedding) continue;
    const definition = registry.providers.get(known.provider)!;
    models.set(known.reference, {
      reference: known.reference,
      name: known.name,
      provider: known.provider,
      providerLabel: definition.label,
      ready: known.ready,
      reason: known.reason,
      setup: definition.setup,
      weights: known.weights,
      contextWindow: known.contextWindow,
      pricing: known.pricing,
      pricesAsOf: known.pricesAsOf,
      downloadBytes: downloadBytes(known),
    });
  }

  const preferred = await resolveDefault(registry, readiness);
  const { resolved } = preferred;
  if (resolved && !models.has(preferred.reference)) {
    models.set(preferred.reference, {
      reference: preferred.reference,
      name: resolved.modelId,
      provider: resolved.provider,
      providerLabel: resolved.definition.label,
      ready: preferred.ready,
      reason: preferred.reason,
      setup: resolved.definition.setup,
      weights: null,
      contextWindow: null,
      pricing: null,
      pricesAsOf: null,
      downloadBytes: null,
    });
  }

  const groups = (Object.keys(GROUP_LABELS) as ProviderCategory[])
    .map((category) => ({
      category,
      label: GROUP_LABELS[category],
      models: [...models.values()].filter((m) => registry.providers.get(m.provider)?.category === category),
    }))
    .filter((g) => g.models.length > 0);
  const firstReady = groups.flatMap((g) => g.models).find((m) => m.ready)?.reference;
  const defaultModel = preferred.ready ? preferred.reference : (firstReady ?? preferred.reference);
  return { defaultModel, groups };
}

function downloadBytes(model: { provider: string; reference: string; reason: NotReadyReason | null }) {
  if (model.provider !== "local" || model.reason !== "not downloaded") return null;
  return findCatalogEntry("local", model.reference.slice("local:".length))?.gguf?.sizeBytes ?? null;
}

/** The default as the registry resolves it, with its status (unknown names are not ready). */
async function resolveDefault(
  registry: ProviderRegistry,
  readiness: ModelReadiness,
): Promise<ModelStatus & { reference: string; resolved?: ResolvedModel }> {
  const reference = registry.defaultModel();
  try {
    const resolved = registry.resolve(reference);
    return { reference: resolved.reference, resolved, ...(await readiness.check(reference)) };
  } catch {
    // A default that names no known model is still what the user asked for; a call will say why.
    return { reference, ready: false, reason: null };
  }
}
