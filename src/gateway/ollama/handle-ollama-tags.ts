import type { ServerResponse } from "node:http";
import { listLocalModels } from "../../local/list-local-models.ts";
import { listModels } from "../../providers/list-models.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { describeLocalModel } from "./describe-local-model.ts";
import { toOllamaDetails } from "./to-ollama-details.ts";

/**
 * GET /api/tags: what Ollama clients offer in their model pickers. The embedded engine's models
 * by the bare names Ollama clients send back (`llama3.2:1b`), with size, digest and details from
 * their files; then every other model that answers now, the aliases and pools, by their llmux names
 * (`openai:gpt-4.1-mini`), which the gateway takes as they are.
 */
export async function handleOllamaTags(context: GatewayContext, res: ServerResponse): Promise<void> {
  const { config } = context;
  const [listing, local] = await Promise.all([
    listModels(context.registry),
    listLocalModels({ modelsDir: config.paths.models, env: config.env as NodeJS.ProcessEnv }),
  ]);
  const models: unknown[] = [];
  for (const model of local) {
    if (model.problem) continue;
    const facts = await describeLocalModel(model.name, model.path, config).catch(() => undefined);
    if (!facts) continue;
    models.push({
      name: model.name,
      model: model.name,
      modified_at: facts.modifiedAt,
      size: facts.size,
      digest: facts.digest,
      details: toOllamaDetails("gguf", facts.architecture, facts.sizeLabel, facts.quantization),
    });
  }
  const now = new Date().toISOString();
  const remote = (name: string, family: string | null) => ({
    name,
    model: name,
    modified_at: now,
    size: 0,
    digest: "",
    details: toOllamaDetails("", family?.toLowerCase() ?? "", "", ""),
  });
  for (const model of listing.models) {
    if (model.ready && model.provider !== "local") models.push(remote(model.reference, model.family));
  }
  for (const alias of listing.aliases) if (alias.ready) models.push(remote(alias.alias, null));
  for (const pool of context.pools.available()) models.push(remote(pool, null));
  sendText(res, 200, "application/json; charset=utf-8", JSON.stringify({ models }));
}
