import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { isLlmuxError } from "../core/errors.ts";
import { type ResolveLocalModelPathOptions, resolveLocalModelPath } from "./resolve-local-model-path.ts";
import type { GgufLocation } from "./resolve-pull-source.ts";

/**
 * A catalog model of the embedded engine (`llama3.2:1b`...) that is on neither llmux's nor
 * Ollama's store: where to download it from, with its size, so it can be offered for download.
 * Undefined when the model is there, or is not a catalog model (a path, an unknown name).
 */
export async function findMissingCatalogModel(
  name: string,
  options: Omit<ResolveLocalModelPathOptions, "findGguf">,
): Promise<GgufLocation | undefined> {
  const gguf = findCatalogEntry("local", name)?.gguf;
  if (!gguf) return undefined;
  try {
    await resolveLocalModelPath(name, options);
    return undefined;
  } catch (error) {
    if (isLlmuxError(error) && error.kind === "model_not_found") return gguf;
    throw error;
  }
}
