import type { LlmuxConfig } from "../../core/load-config.ts";
import { type ListedModel, listModels } from "../../providers/list-models.ts";
import type { ProviderCategory } from "../../providers/provider-definition.ts";
import { createProviderRegistry } from "../../providers/provider-registry.ts";
import type { AppModel, AppModelList } from "./app-api-types.ts";

const GROUP_LABELS: Record<ProviderCategory, string> = {
  frontier: "Frontier cloud",
  managed: "Managed cloud",
  server: "Open-weight via a server",
  local: "In-process local",
};

/**
 * The model picker's list: the chat models of listModels, and the default even when it is not
 * one of them, grouped by how they are reached; the UI starts on the default when it is ready,
 * else on the first ready model.
 */
export async function listAppModels(config: LlmuxConfig): Promise<AppModelList> {
  const { models, defaultModel } = await listModels(createProviderRegistry(config));
  const chat = models.filter((m) => !m.embedding);
  if (defaultModel.model && !chat.some((m) => m.reference === defaultModel.reference)) {
    chat.push(defaultModel.model);
  }
  const groups = (Object.keys(GROUP_LABELS) as ProviderCategory[])
    .map((category) => ({
      category,
      label: GROUP_LABELS[category],
      models: chat.filter((m) => m.category === category).map(toAppModel),
    }))
    .filter((g) => g.models.length > 0);
  const firstReady = groups.flatMap((g) => g.models).find((m) => m.ready)?.reference;
  return {
    defaultModel: defaultModel.model?.ready ? defaultModel.reference : (firstReady ?? defaultModel.reference),
    groups,
  };
}

function toAppModel(m: ListedModel): AppModel {
  return {
    reference: m.reference,
    name: m.name,
    provider: m.provider,
    providerLabel: m.providerLabel,
    ready: m.ready,
    reason: m.reason,
    setup: m.setup,
    weights: m.weights,
    contextWindow: m.contextWindow,
    pricing: m.pricing,
    pricesAsOf: m.pricesAsOf,
    downloadBytes: m.downloadBytes,
  };
}
