import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { LlmuxError } from "../core/errors.ts";
import { resolvePaths } from "../core/paths.ts";
import { findOllamaModel } from "./find-ollama-model.ts";
import { modelStorePaths } from "./model-store-paths.ts";
import { pathExists } from "./path-exists.ts";
import { readLocalModelManifest } from "./read-local-model-manifest.ts";
import type { GgufLocation } from "./resolve-pull-source.ts";

export interface ResolveLocalModelPathOptions {
  modelsDir?: string;
  ollamaModels?: string;
  env?: NodeJS.ProcessEnv;
  /** Catalog lookup of a local model name; the bundled catalog by default. */
  findGguf?: (name: string) => GgufLocation | undefined;
}

/**
 * The GGUF file behind `local:<x>`: `x` itself when it is a path (absolute, `./`, `~/`, ending
 * in `.gguf`, or an existing file), else llmux's store, else Ollama's store (used in place).
 */
export async function resolveLocalModelPath(
  ref: string,
  options: ResolveLocalModelPathOptions = {},
): Promise<string> {
  const name = ref.replace(/^local:/, "");
  if (name.startsWith("~/")) return resolve(homedir(), name.slice(2));
  if (isAbsolute(name) || name.startsWith(".") || name.toLowerCase().endsWith(".gguf")) return resolve(name);
  if (/[\\/]/.test(name) && (await pathExists(name))) return resolve(name);

  const modelsDir = options.modelsDir ?? resolvePaths(options.env).models;
  const paths = modelStorePaths(name, modelsDir);
  if ((await readLocalModelManifest(paths.manifest)) && (await pathExists(paths.model))) return paths.model;

  const ollama = await findOllamaModel(name, options);
  if (ollama) return ollama.path;

  const findGguf = options.findGguf ?? ((model: string) => findCatalogEntry("local", model)?.gguf);
  if (findGguf(name)) {
    throw new LlmuxError("model_not_found", `The local model ${name} is not downloaded`, {
      hint: `Download it with \`llmux pull ${name}\`, or use another model: ollama:${name} through a running Ollama, or a cloud model such as openai:gpt-4.1-mini`,
    });
  }
  throw new LlmuxError("model_not_found", `No local model named ${name}`, {
    hint: "It is in neither the catalog, llmux's model store nor Ollama's store; see `llmux models --local`, or pass a path to a .gguf file",
  });
}
