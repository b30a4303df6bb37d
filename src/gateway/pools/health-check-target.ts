import type { LlmuxConfig } from "../../core/load-config.ts";
import { ollamaHost } from "../../providers/ollama-provider.ts";
import type { ResolvedModel } from "../../providers/provider-registry.ts";
import { resolvePassthroughTarget } from "../v1/resolve-passthrough-target.ts";

/** What a deployment's active health check GETs. */
export interface HealthCheckTarget {
  url: string;
  /** Its credentials and configured headers, as requests get them. */
  headers: Record<string, string>;
}

/**
 * The cheapest GET that says a deployment's server answers: Ollama's `/api/tags`, an
 * OpenAI-compatible server's `/models`. Undefined for other providers (nothing to ask) and for
 * one without its key (its requests fail anyway, and say why).
 */
export function healthCheckTarget(
  resolved: ResolvedModel,
  config: LlmuxConfig,
): HealthCheckTarget | undefined {
  if (resolved.provider === "ollama") {
    const settings = config.file.providers.ollama ?? {};
    return { url: `${ollamaHost({ config, settings })}/api/tags`, headers: { ...settings.headers } };
  }
  try {
    const target = resolvePassthroughTarget(resolved, config);
    return target && { url: `${target.baseURL}/models${target.query}`, headers: target.headers };
  } catch {
    return undefined;
  }
}
