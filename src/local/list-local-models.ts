import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isLlmuxError } from "../core/errors.ts";
import { resolvePaths } from "../core/paths.ts";
import { listOllamaModels } from "./list-ollama-models.ts";
import { modelStorePaths } from "./model-store-paths.ts";
import { readGgufHeader } from "./read-gguf-header.ts";
import { readLocalModelManifest } from "./read-local-model-manifest.ts";

interface LocalModelInfo {
  name: string;
  path: string;
  /** `store`: pulled by llmux; `ollama`: Ollama's, used in place. */
  source: "store" | "ollama";
  /** Where a stored model was pulled from (URL or imported path). */
  origin?: string;
  sizeBytes?: number;
  architecture?: string;
  parameterCount?: number;
  sizeLabel?: string;
  quantization?: string;
  contextLength?: number;
  /** Why the file cannot be used (corrupt, unsupported...); then the header facts are absent. */
  problem?: string;
}

/** The models llmux can run without downloading: its own store, then Ollama's. */
export async function listLocalModels(
  options: { modelsDir?: string; ollamaModels?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<LocalModelInfo[]> {
  const modelsDir = options.modelsDir ?? resolvePaths(options.env).models;
  const manifests = await readdir(modelsDir).catch(() => [] as string[]);
  const models: LocalModelInfo[] = [];
  for (const file of manifests.filter((f) => f.endsWith(".json")).sort()) {
    const manifest = await readLocalModelManifest(join(modelsDir, file));
    if (!manifest) continue;
    const path = modelStorePaths(manifest.name, modelsDir).model;
    models.push({ ...(await describe(manifest.name, path, "store")), origin: manifest.source });
  }
  for (const model of await listOllamaModels(options)) {
    models.push(await describe(model.name, model.path, "ollama"));
  }
  return models;
}

async function describe(
  name: string,
  path: string,
  source: LocalModelInfo["source"],
): Promise<LocalModelInfo> {
  try {
    const header = await readGgufHeader(path);
    return {
      name,
      path,
      source,
      sizeBytes: header.fileSize,
      architecture: header.architecture,
      parameterCount: header.parameterCount,
      sizeLabel: header.sizeLabel,
      quantization: header.quantization,
      ...(header.contextLength !== undefined ? { contextLength: header.contextLength } : {}),
    };
  } catch (error) {
    if (!isLlmuxError(error)) throw error;
    return { name, path, source, problem: error.message };
  }
}
