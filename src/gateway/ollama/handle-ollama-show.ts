import type { IncomingMessage, ServerResponse } from "node:http";
import { toLlmuxError } from "../../client/to-llmux-error.ts";
import { LlmuxError } from "../../core/errors.ts";
import { resolveLocalModelPath } from "../../local/resolve-local-model-path.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { describeLocalModel } from "./describe-local-model.ts";
import { forwardingLoopGuard } from "./forwarding-loop-guard.ts";
import { ollamaModelNotFound } from "./ollama-model-not-found.ts";
import { ollamaNativeOrigin } from "./ollama-native-origin.ts";
import { readOllamaModelField } from "./read-ollama-model-field.ts";
import { resolveOllamaModelName } from "./resolve-ollama-model-name.ts";
import { toOllamaDetails } from "./to-ollama-details.ts";

/**
 * POST /api/show `{model}` (or the older `{name}`): a model's details, `model_info` with its
 * context length (what clients size prompts by) and `capabilities` (what Open WebUI and editors
 * enable tools and embeddings by). The embedded engine's models are described from their GGUF
 * file, chat template included; an Ollama upstream's by its own /api/show; others from the catalog.
 */
export async function handleOllamaShow(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { config } = context;
  forwardingLoopGuard.check(req);
  const json = parseJsonBody(await readBody(req, config.file.gateway.bodyLimitBytes));
  const name = readOllamaModelField(json);
  const { resolved, passthrough, timeoutMs } = context.modelRoutes.get(resolveOllamaModelName(context, name));
  let answer: Record<string, unknown>;
  if (resolved.provider === "ollama" && passthrough) {
    // Ollama knows its own models best (template, parameters, vision): its answer as it is.
    let response: Response;
    try {
      response = await fetch(`${ollamaNativeOrigin(passthrough)}/api/show`, {
        method: "POST",
        headers: {
          ...passthrough.headers,
          ...forwardingLoopGuard.header,
          "content-type": "application/json",
        },
        body: JSON.stringify({ model: resolved.modelId, verbose: json.verbose === true }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw toLlmuxError(error, {
        reference: resolved.reference,
        providerLabel: resolved.definition.label,
        keyEnv: resolved.definition.keyEnv,
        env: config.env,
      });
    }
    const text = await response.text();
    if (response.status === 404) throw ollamaModelNotFound(name);
    if (!response.ok) {
      throw new LlmuxError("provider_error", `Ollama answered /api/show with HTTP ${response.status}`, {
        status: 502,
      });
    }
    return sendText(res, 200, "application/json; charset=utf-8", text);
  }
  if (resolved.provider === "local") {
    const path = await resolveLocalModelPath(resolved.modelId, {
      modelsDir: config.paths.models,
      env: config.env as NodeJS.ProcessEnv,
    });
    const facts = await describeLocalModel(resolved.modelId, path, config);
    answer = {
      modelfile: `# Served by llmux from ${resolved.reference}\nFROM ${name}\n`,
      parameters: "",
      template: facts.chatTemplate ?? "",
      details: toOllamaDetails("gguf", facts.architecture, facts.sizeLabel, facts.quantization),
      model_info: modelInfo(facts.architecture, facts.contextLength, facts.parameterCount),
      // Without a chat template the engine completes text and cannot call tools.
      capabilities: facts.chatTemplate ? ["completion", "tools"] : ["completion"],
      modified_at: facts.modifiedAt,
    };
  } else {
    const entry = resolved.catalogEntry;
    const family = (entry?.family ?? resolved.provider).toLowerCase();
    answer = {
      modelfile: `# Served by llmux from ${resolved.reference}\nFROM ${name}\n`,
      parameters: "",
      template: "",
      details: toOllamaDetails("", family, "", ""),
      model_info: modelInfo(family, entry?.contextWindow, undefined),
      capabilities: entry?.embedding ? ["embedding"] : ["completion", "tools"],
      modified_at: new Date().toISOString(),
    };
  }
  sendText(res, 200, "application/json; charset=utf-8", JSON.stringify(answer));
}

// Keyed as GGUF metadata is, which is what Ollama reports: `<architecture>.context_length`.
function modelInfo(
  architecture: string,
  contextLength: number | undefined,
  parameterCount: number | undefined,
) {
  return {
    "general.architecture": architecture,
    ...(parameterCount !== undefined && { "general.parameter_count": parameterCount }),
    ...(contextLength !== undefined && { [`${architecture}.context_length`]: contextLength }),
  };
}
