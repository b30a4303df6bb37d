import { createModelReadiness } from "../../providers/create-model-readiness.ts";
import type { ProviderRegistry } from "../../providers/provider-registry.ts";

export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/**
 * GET /v1/models: every name the gateway answers to now: the models that are ready (a key for
 * cloud providers, a running Ollama or endpoint, a local model on disk) and the aliases that
 * lead to one.
 */
export async function listModels(
  registry: ProviderRegistry,
): Promise<{ object: "list"; data: ModelObject[] }> {
  const created = Math.floor(Date.now() / 1000);
  const readiness = createModelReadiness(registry);
  const data: ModelObject[] = (await readiness.list())
    .filter((m) => m.ready)
    .map((m) => ({ id: m.reference, object: "model", created, owned_by: m.provider }));
  for (const alias of Object.keys(registry.config.file.aliases)) {
    const ready = await readiness.check(alias).then(
      (status) => status.ready,
      () => false,
    );
    if (ready && !data.some((m) => m.id === alias))
      data.push({ id: alias, object: "model", created, owned_by: "alias" });
  }
  return { object: "list", data };
}
