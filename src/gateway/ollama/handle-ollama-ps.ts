import type { ServerResponse } from "node:http";
import { listLocalModels } from "../../local/list-local-models.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { describeLocalModel } from "./describe-local-model.ts";
import { toOllamaDetails } from "./to-ollama-details.ts";

const DEFAULT_IDLE_UNLOAD_SECONDS = 300;

/**
 * GET /api/ps: the embedded engine's models loaded in this process now, by the names Ollama
 * clients know them by, and when they unload if nothing uses them (local.idleUnloadSeconds).
 */
export async function handleOllamaPs(context: GatewayContext, res: ServerResponse): Promise<void> {
  const { config } = context;
  const { localEngine } = await import("../../local/local-engine.ts");
  const loaded = localEngine.stats().models;
  const models: unknown[] = [];
  if (loaded.length > 0) {
    const known = await listLocalModels({
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    const idleSeconds = config.file.local?.idleUnloadSeconds ?? DEFAULT_IDLE_UNLOAD_SECONDS;
    for (const model of loaded) {
      const name = known.find((m) => m.path === model.path)?.name ?? model.path;
      const facts = await describeLocalModel(name, model.path, config).catch(() => undefined);
      models.push({
        name,
        model: name,
        size: facts?.size ?? 0,
        digest: facts?.digest ?? "",
        details: toOllamaDetails(
          "gguf",
          facts?.architecture ?? "",
          facts?.sizeLabel ?? "",
          facts?.quantization ?? "",
        ),
        expires_at: new Date(Date.now() + idleSeconds * 1000).toISOString(),
        size_vram: 0,
        context_length: model.contextSize,
      });
    }
  }
  sendText(res, 200, "application/json; charset=utf-8", JSON.stringify({ models }));
}
