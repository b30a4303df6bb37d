import type { LlmuxConfig } from "../../core/load-config.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { cacheKey } from "./cache-key.ts";

type CacheSettings = LlmuxConfig["file"]["gateway"]["cache"];

/** Routes whose answers do not depend on a sampling temperature (embeddings). */
const NO_TEMPERATURE: ReadonlySet<string> = new Set(["embeddings", "ollama_embed", "ollama_embeddings"]);

/**
 * How one request meets the response cache: `{ key }` to look it up and keep its answer, "skip"
 * when the cache applies to it but it may not be cached (a temperature above 0, a request with
 * side effects, `x-llmux-cache: off`), undefined when the cache is not in play at all. In play:
 * gateway.cache.enabled, a key made with --cache, or the request's `x-llmux-cache: on` (which
 * also accepts a temperature above 0).
 */
export function planCaching(
  settings: CacheSettings,
  key: GatewayKey | undefined,
  header: string | string[] | undefined,
  route: string,
  json: Record<string, unknown>,
): { key: string } | "skip" | undefined {
  if (header !== undefined && header !== "on" && header !== "off") {
    throw new RequestError(400, "Invalid x-llmux-cache header: give on or off (or leave it out)", {
      code: "invalid_value",
    });
  }
  const chosen = header === "on" || settings.enabled || key?.cache === true;
  if (!chosen) return undefined;
  if (header === "off" || hasSideEffects(route, json)) return "skip";
  if (
    !(settings.nonZeroTemperature || header === "on" || NO_TEMPERATURE.has(route) || isGreedy(route, json))
  ) {
    return "skip";
  }
  return { key: cacheKey(route, settings.shared ? "" : (key?.id ?? ""), json) };
}

// A request that leaves something behind besides its answer: stored by OpenAI (chat `store`), by
// the gateway or the upstream (Responses, stored unless `store: false`), or continuing state.
function hasSideEffects(route: string, json: Record<string, unknown>): boolean {
  if (route !== "responses") return json.store === true;
  return (
    json.store !== false ||
    json.previous_response_id != null ||
    json.conversation != null ||
    json.background === true
  );
}

// An explicit temperature of 0: absent means the provider's default, above 0 for OpenAI (1),
// Anthropic (1) and Ollama (0.8), so the same request would not give the same answer.
function isGreedy(route: string, json: Record<string, unknown>): boolean {
  const temperature = route.startsWith("ollama_")
    ? (json.options as { temperature?: unknown } | null | undefined)?.temperature
    : json.temperature;
  return typeof temperature === "number" && temperature <= 0;
}
