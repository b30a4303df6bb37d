import { listCatalog } from "../catalog/catalog.ts";
import { listLocalModels } from "../local/list-local-models.ts";
import type { ProviderRegistry } from "../providers/provider-registry.ts";

export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/**
 * GET /v1/models: every name the gateway answers to: catalog models of configured providers,
 * models declared for config endpoints, the installed local models, and the config's aliases.
 */
export async function listModels(
  registry: ProviderRegistry,
): Promise<{ object: "list"; data: ModelObject[] }> {
  const { config } = registry;
  const created = Math.floor(Date.now() / 1000);
  const ids = new Map<string, string>();
  const add = (id: string, owner: string) => {
    if (!ids.has(id)) ids.set(id, owner);
  };
  const configured = new Map<string, boolean>();
  for (const entry of listCatalog()) {
    let ok = configured.get(entry.provider);
    if (ok === undefined) {
      ok = registry.isConfigured(entry.provider) && entry.provider !== "local";
      configured.set(entry.provider, ok);
    }
    if (ok) add(`${entry.provider}:${entry.model}`, entry.provider);
  }
  for (const [name, endpoint] of Object.entries(config.file.endpoints)) {
    for (const model of endpoint.models ?? []) add(`${name}:${model}`, name);
  }
  const local = await listLocalModels({
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
  for (const model of local) if (!model.problem) add(`local:${model.name}`, "local");
  for (const alias of Object.keys(config.file.aliases)) add(alias, "alias");
  return {
    object: "list",
    data: [...ids].map(([id, owner]) => ({ id, object: "model", created, owned_by: owner })),
  };
}
