import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { modelStorePaths } from "../../local/model-store-paths.ts";
import { readGgufHeader } from "../../local/read-gguf-header.ts";
import { readLocalModelManifest } from "../../local/read-local-model-manifest.ts";

/** An embedded-engine model as Ollama's /api/tags, /api/show and /api/ps describe one. */
export interface LocalModelDescription {
  size: number;
  /** `sha256:<hex>` of the file, as Ollama names blobs. */
  digest: string;
  modifiedAt: string;
  architecture: string;
  parameterCount: number;
  sizeLabel: string;
  quantization: string;
  contextLength: number | undefined;
  chatTemplate: string | undefined;
}

/**
 * Facts of the GGUF file behind a local model, from its header and the store's manifest (the
 * sha256 checked at download) or, for a model of Ollama's store, its blob's name (`sha256-<hex>`).
 */
export async function describeLocalModel(
  name: string,
  path: string,
  config: LlmuxConfig,
): Promise<LocalModelDescription> {
  const [header, stats, manifest] = await Promise.all([
    readGgufHeader(path),
    stat(path),
    readLocalModelManifest(modelStorePaths(name, config.paths.models).manifest),
  ]);
  const blob = /^sha256-([0-9a-f]{64})$/.exec(basename(path))?.[1];
  const sha256 = manifest?.name === name ? manifest.sha256 : blob;
  return {
    size: header.fileSize,
    digest: sha256 ? `sha256:${sha256}` : "",
    modifiedAt: (manifest?.name === name ? new Date(manifest.pulledAt) : stats.mtime).toISOString(),
    architecture: header.architecture,
    parameterCount: header.parameterCount,
    sizeLabel: header.sizeLabel,
    quantization: header.quantization,
    contextLength: header.contextLength,
    chatTemplate: header.chatTemplate,
  };
}
