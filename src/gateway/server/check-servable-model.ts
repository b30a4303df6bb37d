import { existsSync, readFileSync } from "node:fs";
import { findCatalogEntry } from "../../catalog/find-catalog-entry.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { locateOllamaManifest } from "../../local/locate-ollama-manifest.ts";
import { modelStorePaths } from "../../local/model-store-paths.ts";
import { resolveOllamaModelsDir } from "../../local/resolve-ollama-models-dir.ts";
import type { ProviderRegistry, ResolvedModel } from "../../providers/provider-registry.ts";
import { RequestError } from "../openai/request-error.ts";

/**
 * Refuses, as a 404 `model_not_found`, a `local:` model the gateway must not serve to a remote
 * caller. The CLI and the library run any GGUF path they are given; through the gateway (and its
 * web app) `local:` names only:
 * - a model of llmux's store or Ollama's store, by the name it has there;
 * - a local model of the catalog (one not downloaded yet then fails as "not downloaded");
 * - a path the configuration names: an alias's target, `defaultModel`, `LLMUX_MODEL` or a
 *   gateway fallback (`"aliases": { "mine": "local:/models/x.gguf" }`).
 * Anything else (`local:/etc/passwd`, `local:~/x`, `local:./x.gguf`) is refused with the same
 * status and body whether or not such a file exists: the client's path is never opened nor
 * stat'ed, only files inside the two stores, found by name. The check is synchronous (a few
 * small file reads in the stores) because the route table is, and runs once per name it keeps.
 */
export function checkServableModel(registry: ProviderRegistry, resolved: ResolvedModel, name: string): void {
  if (resolved.provider !== "local") return;
  const id = resolved.modelId;
  if (configuredLocalModels(registry).has(id)) return;
  if (findCatalogEntry("local", id)?.gguf) return;
  if (!isPath(id) && (inStore(id, registry.config) || inOllamaStore(id, registry.config))) return;
  throw modelNotFound(name);
}

/** The one answer for a model the gateway does not serve, whatever the reason. */
function modelNotFound(name: string): RequestError {
  const shown = name.length > 200 ? `${name.slice(0, 200)}...` : name;
  return new RequestError(404, `The model ${shown} does not exist or is not served here`, {
    code: "model_not_found",
    param: "model",
  });
}

const configured = new WeakMap<LlmuxConfig, ReadonlySet<string>>();

// The `local:` model ids the operator's configuration names, resolved once per configuration.
function configuredLocalModels(registry: ProviderRegistry): ReadonlySet<string> {
  const { config } = registry;
  let ids = configured.get(config);
  if (!ids) {
    const set = new Set<string>();
    const references = [
      ...Object.values(config.file.aliases),
      config.file.defaultModel,
      config.env.LLMUX_MODEL,
      ...Object.values(config.file.gateway.fallbacks).flat(),
    ];
    for (const reference of references) {
      if (!reference) continue;
      try {
        const resolved = registry.resolve(reference);
        if (resolved.provider === "local") set.add(resolved.modelId);
      } catch {
        // A reference that does not resolve names no model.
      }
    }
    ids = set;
    configured.set(config, ids);
  }
  return ids;
}

// What resolveLocalModelPath would take as a path: never looked up for a remote caller.
function isPath(id: string): boolean {
  return (
    id.startsWith(".") ||
    id.startsWith("~") ||
    id.startsWith("/") ||
    id.includes("\\") ||
    id.includes("\0") ||
    id.toLowerCase().endsWith(".gguf")
  );
}

function inStore(id: string, config: LlmuxConfig): boolean {
  let paths: ReturnType<typeof modelStorePaths>;
  try {
    paths = modelStorePaths(id, config.paths.models);
  } catch {
    return false;
  }
  try {
    // The manifest must name this very model: two names can share a file name (`a/b`, `a-b`).
    const manifest = JSON.parse(readFileSync(paths.manifest, "utf8")) as { name?: unknown };
    return manifest.name === id && existsSync(paths.model);
  } catch {
    return false;
  }
}

// Only a manifest inside Ollama's store is looked at (locateOllamaManifest never leaves it).
function inOllamaStore(id: string, config: LlmuxConfig): boolean {
  const location = locateOllamaManifest(id, resolveOllamaModelsDir(config.env as NodeJS.ProcessEnv));
  return location !== undefined && existsSync(location.path);
}
