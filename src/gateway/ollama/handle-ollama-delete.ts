import type { IncomingMessage, ServerResponse } from "node:http";
import { removeLocalModel } from "../../local/remove-local-model.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { readOllamaModelField } from "./read-ollama-model-field.ts";

/**
 * DELETE /api/delete `{model}` (or `{name}`): removes a model of llmux's store, as `llmux rm`
 * does; Ollama's own models are left to Ollama (a 404 saying so). The key's model allowlist
 * must name it. Answers 200 with no body, as Ollama does.
 */
export async function handleOllamaDelete(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
): Promise<void> {
  const json = parseJsonBody(await readBody(req, context.config.file.gateway.bodyLimitBytes));
  const name = readOllamaModelField(json).replace(/^local:/, "");
  if (key) await context.keys.authorize(key, [name, `local:${name}`]);
  const { config } = context;
  await removeLocalModel(name, { modelsDir: config.paths.models, env: config.env as NodeJS.ProcessEnv });
  res.writeHead(200, { "content-length": 0 }).end();
}
