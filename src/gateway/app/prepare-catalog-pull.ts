import { findCatalogEntry } from "../../catalog/find-catalog-entry.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import type { PulledModel } from "../../local/pull-model.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import type { KeyGuard } from "../server/create-key-guard.ts";

const PROGRESS_EVERY_MS = 250;

/** A download of a catalog model the caller may start, checked before anything is sent. */
interface CatalogPull {
  /** `local:<name>`. */
  model: string;
  /** The file it downloads, as the catalog names it. */
  file: string;
  /** Downloads it into the store; progress at most every 250 ms, and at the end. */
  run(
    signal: AbortSignal,
    onProgress: (progress: { receivedBytes: number; totalBytes: number | undefined }) => void,
  ): Promise<PulledModel>;
}

/**
 * A pull through the gateway (the web app's /app/api/pull, Ollama's /api/pull): only a local model
 * of the catalog (`llama3.2:1b`, `local:llama3.2:1b`), so a caller can never make the server fetch
 * a URL or read a path; a 404 otherwise, and the key's model allowlist applies. A stopped download
 * keeps its partial file, so the next pull resumes it.
 */
export async function prepareCatalogPull(
  context: { config: LlmuxConfig; keys: KeyGuard },
  requested: unknown,
  key: GatewayKey | undefined,
): Promise<CatalogPull> {
  const name = typeof requested === "string" ? requested.replace(/^local:/, "") : "";
  const gguf = findCatalogEntry("local", name)?.gguf;
  if (!gguf) {
    throw new RequestError(404, `"${String(requested)}" is not a local model of the catalog`, {
      param: "model",
      code: "model_not_found",
    });
  }
  const model = `local:${name}`;
  // The allowlist may name it either way, as chat requests do.
  if (key) await context.keys.authorize(key, [model, name]);
  return {
    model,
    file: gguf.file,
    async run(signal, onProgress) {
      const { pullModel } = await import("../../local/pull-model.ts");
      let last = 0;
      return pullModel(name, {
        modelsDir: context.config.paths.models,
        env: context.config.env as NodeJS.ProcessEnv,
        signal,
        onProgress: ({ receivedBytes, totalBytes }) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS && receivedBytes !== totalBytes) return;
          last = now;
          onProgress({ receivedBytes, totalBytes });
        },
      });
    },
  };
}
