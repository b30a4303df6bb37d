import { rm, stat } from "node:fs/promises";
import { LlmuxError } from "../core/errors.ts";
import { resolvePaths } from "../core/paths.ts";
import { acquireFileLock } from "./acquire-file-lock.ts";
import { findOllamaModel } from "./find-ollama-model.ts";
import { modelStorePaths } from "./model-store-paths.ts";
import { readLocalModelManifest } from "./read-local-model-manifest.ts";

/**
 * Deletes a model from llmux's store (and any partial download of it). Ollama's models are
 * never deleted: they belong to Ollama.
 */
export async function removeLocalModel(
  ref: string,
  options: { modelsDir?: string; ollamaModels?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ name: string; path: string; freedBytes: number }> {
  const name = ref.replace(/^local:/, "");
  const modelsDir = options.modelsDir ?? resolvePaths(options.env).models;
  const paths = modelStorePaths(name, modelsDir);
  const manifest = await readLocalModelManifest(paths.manifest);
  if (!manifest) {
    if (await findOllamaModel(name, options)) {
      throw new LlmuxError(
        "model_not_found",
        `${name} belongs to Ollama, not to llmux's store; llmux leaves it alone`,
        {
          hint: `Remove it with \`ollama rm ${name}\``,
        },
      );
    }
    throw new LlmuxError("model_not_found", `No local model named ${name}`, {
      hint: "See the installed ones with `llmux models --local`",
    });
  }
  // Not while a pull of the same model is writing it.
  const release = await acquireFileLock(paths.lock, { waitMs: 0, what: `The model ${name}` });
  try {
    const freedBytes = await stat(paths.model).then(
      (s) => s.size,
      () => 0,
    );
    // The manifest goes first: without it the model no longer counts as installed.
    await rm(paths.manifest, { force: true });
    await rm(paths.model, { force: true });
    await rm(paths.partial, { force: true });
    return { name, path: paths.model, freedBytes };
  } finally {
    await release();
  }
}
