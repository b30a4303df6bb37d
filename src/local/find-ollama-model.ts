import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { locateOllamaManifest, ollamaDisplayName } from "./locate-ollama-manifest.ts";
import { resolveOllamaModelsDir } from "./resolve-ollama-models-dir.ts";

export interface OllamaModel {
  /** The name as Ollama shows it, like `llama3.2:1b`. */
  name: string;
  /** The GGUF blob, used in place (never copied). */
  path: string;
}

const MODEL_LAYER = "application/vnd.ollama.image.model";

/**
 * Finds a model pulled with Ollama (`llama3.2:1b`, `namespace/model:tag`,
 * `host/namespace/model:tag`; tag `latest` by default) and returns its GGUF blob.
 * Undefined when Ollama does not have it, or its manifest has no GGUF model layer.
 */
export async function findOllamaModel(
  name: string,
  options: { ollamaModels?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<OllamaModel | undefined> {
  const root = options.ollamaModels ?? resolveOllamaModelsDir(options.env);
  const location = locateOllamaManifest(name, root);
  if (!location) return undefined;
  let manifest: { schemaVersion?: number; layers?: Array<{ mediaType?: string; digest?: string }> };
  try {
    manifest = JSON.parse(await readFile(location.path, "utf8"));
  } catch {
    return undefined;
  }
  // Manifest lists (multi-platform) and other schemas have no layers of their own.
  if (manifest.schemaVersion !== 2 || !Array.isArray(manifest.layers)) return undefined;
  const digest = manifest.layers.find((layer) => layer.mediaType === MODEL_LAYER)?.digest;
  const hex = /^sha256[:-]([0-9a-f]{64})$/.exec(digest ?? "")?.[1];
  if (!hex) return undefined;
  const path = join(root, "blobs", `sha256-${hex}`);
  try {
    await access(path);
  } catch {
    return undefined;
  }
  return { name: ollamaDisplayName(location), path };
}
