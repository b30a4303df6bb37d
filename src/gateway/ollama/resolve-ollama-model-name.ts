import { isLlmuxError } from "../../core/errors.ts";
import { RequestError } from "../openai/request-error.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { ollamaModelNotFound } from "./ollama-model-not-found.ts";

/**
 * The llmux model reference an Ollama client's model name means. Ollama clients send bare names
 * (`llama3.2:1b`, `stories:latest`): those are the embedded engine's models (`local:`) when it
 * serves one by that name, with or without Ollama's default `:latest` tag. Aliases and llmux
 * references (`openai:gpt-4.1-mini`) work as everywhere else, and other bare names resolve
 * through the catalog; a pool's name is the pool. A name that leads nowhere is Ollama's own 404,
 * `model 'x' not found`.
 */
export function resolveOllamaModelName(context: GatewayContext, name: string): string {
  const { registry } = context;
  if (registry.config.file.aliases[name] !== undefined || context.pools.get(name)) return name;
  const colon = name.indexOf(":");
  if (colon > 0 && registry.providers.has(name.slice(0, colon).toLowerCase())) return checked(context, name);
  const untagged = name.endsWith(":latest") ? name.slice(0, -":latest".length) : undefined;
  for (const candidate of untagged === undefined ? [name] : [name, untagged]) {
    const reference = `local:${candidate}`;
    try {
      context.modelRoutes.get(reference);
      return reference;
    } catch {
      // Not a model the embedded engine serves: try the next spelling, then the catalog.
    }
  }
  return checked(context, name);
}

// The name itself, unless it names no model and no fallback covers it.
function checked(context: GatewayContext, name: string): string {
  try {
    context.modelRoutes.get(name);
  } catch (error) {
    const notFound =
      (error instanceof RequestError && error.status === 404) ||
      (isLlmuxError(error) && (error.kind === "model_not_found" || error.kind === "usage"));
    if (notFound && (context.config.file.gateway.fallbacks[name] ?? []).length === 0) {
      throw ollamaModelNotFound(name);
    }
  }
  return name;
}
