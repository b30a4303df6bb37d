import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { findOllamaModel, type OllamaModel } from "./find-ollama-model.ts";
import { resolveOllamaModelsDir } from "./resolve-ollama-models-dir.ts";

/** Every model in Ollama's store that has a GGUF blob; none when Ollama is not installed. */
export async function listOllamaModels(
  options: { ollamaModels?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<OllamaModel[]> {
  const root = options.ollamaModels ?? resolveOllamaModelsDir(options.env);
  let entries: string[];
  try {
    // manifests/<host>/<namespace>/<model>/<tag>
    entries = (await readdir(join(root, "manifests"), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
  } catch {
    return [];
  }
  const models: OllamaModel[] = [];
  for (const file of entries.sort()) {
    const parts = file.slice(join(root, "manifests").length + 1).split(/[\\/]/);
    if (parts.length !== 4) continue;
    const [host, namespace, model, tag] = parts;
    const found = await findOllamaModel(`${host}/${namespace}/${model}:${tag}`, { ollamaModels: root });
    if (found) models.push(found);
  }
  return models;
}
