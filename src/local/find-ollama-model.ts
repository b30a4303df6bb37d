import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { resolveOllamaModelsDir } from "./resolve-ollama-models-dir.ts";

export interface OllamaModel {
  /** The name as Ollama shows it, like `llama3.2:1b`. */
  name: string;
  /** The GGUF blob, used in place (never copied). */
  path: string;
}

const DEFAULT_HOST = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";
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
  const colon = name.lastIndexOf(":");
  const hasTag = colon > name.lastIndexOf("/");
  const tag = hasTag ? name.slice(colon + 1) : "latest";
  const parts = (hasTag ? name.slice(0, colon) : name).split("/");
  if (!tag || parts.length > 3 || parts.some((part) => !part || part === "." || part === ".."))
    return undefined;
  const [host, namespace, model] = [
    parts.length === 3 ? parts[0] : DEFAULT_HOST,
    parts.length >= 2 ? parts[parts.length - 2] : DEFAULT_NAMESPACE,
    parts[parts.length - 1],
  ] as string[];
  let manifest: { schemaVersion?: number; layers?: Array<{ mediaType?: string; digest?: string }> };
  try {
    manifest = JSON.parse(await readFile(join(root, "manifests", host!, namespace!, model!, tag), "utf8"));
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
  return { name: displayName(host!, namespace!, model!, tag), path };
}

function displayName(host: string, namespace: string, model: string, tag: string): string {
  const prefix =
    host !== DEFAULT_HOST ? `${host}/${namespace}/` : namespace !== DEFAULT_NAMESPACE ? `${namespace}/` : "";
  return `${prefix}${model}:${tag}`;
}
