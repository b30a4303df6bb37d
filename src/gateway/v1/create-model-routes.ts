import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderRegistry, ResolvedModel } from "../../providers/provider-registry.ts";
import { checkServableModel } from "../server/check-servable-model.ts";
import { type PassthroughTarget, resolvePassthroughTarget } from "./resolve-passthrough-target.ts";

const MAX_ROUTES = 4096;

/** How the gateway serves one model name: forwarded bytes, or translation through the provider layer. */
export interface ModelRoute {
  resolved: ResolvedModel;
  /** Set for OpenAI-compatible upstreams: the request is forwarded byte for byte. */
  passthrough: PassthroughTarget | undefined;
  timeoutMs: number;
  /** Model names to try, in order, when this one fails before anything reached the client. */
  fallbacks: readonly string[];
  /** The AI SDK model, created on first use (translation only). */
  languageModel(): LanguageModelV3;
}

export interface ModelRoutes {
  /**
   * The route for a model name; throws the registry's LlmuxError (model_not_found, missing_key...),
   * or checkServableModel's 404 for a `local:` model the gateway does not serve (a path).
   */
  get(name: string): ModelRoute;
}

/**
 * Model names resolved once and kept: resolving walks the catalog, and the hot path should not.
 * Failures are not kept, so a key set later (or a typo fixed) is picked up by the next request.
 */
export function createModelRoutes(registry: ProviderRegistry): ModelRoutes {
  const { config } = registry;
  const gateway = config.file.gateway;
  const routes = new Map<string, ModelRoute>();
  return {
    get(name) {
      let route = routes.get(name);
      if (route) return route;
      const resolved = registry.resolve(name);
      checkServableModel(registry, resolved, name);
      const passthrough = resolvePassthroughTarget(resolved, config);
      let model: LanguageModelV3 | undefined;
      route = {
        resolved,
        passthrough,
        timeoutMs:
          gateway.timeouts[name] ??
          gateway.timeouts[resolved.reference] ??
          gateway.timeoutMs ??
          config.file.timeoutMs,
        fallbacks: gateway.fallbacks[name] ?? gateway.fallbacks[resolved.reference] ?? [],
        languageModel: () => {
          model ??= registry.languageModel(resolved);
          return model;
        },
      };
      // Any provider:model string resolves, so a client could grow this map without end.
      if (routes.size >= MAX_ROUTES) routes.clear();
      routes.set(name, route);
      return route;
    },
  };
}
