import type { LlmuxConfig } from "../../core/load-config.ts";
import type { ProviderContext } from "../../providers/provider-definition.ts";
import type { ResolvedModel } from "../../providers/provider-registry.ts";
import { readBaseUrl, requireApiKey } from "../../providers/read-provider-setting.ts";

/** Where an Anthropic model's Messages API requests are forwarded, with the gateway's own credentials. */
export interface AnthropicTarget {
  /** "https://host:port" of the API. */
  origin: string;
  /** The base URL's path, e.g. "/v1"; "/messages" goes after it. */
  pathPrefix: string;
  /** The key and configured headers; they never reach the client. */
  headers: Record<string, string>;
}

/** The Anthropic API the provider layer would call for `resolved` (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY). */
export function resolveAnthropicTarget(resolved: ResolvedModel, config: LlmuxConfig): AnthropicTarget {
  const { definition } = resolved;
  const context: ProviderContext = { config, settings: config.file.providers[definition.id] ?? {} };
  const url = new URL(readBaseUrl(context, definition) ?? "https://api.anthropic.com/v1");
  return {
    origin: url.origin,
    pathPrefix: url.pathname.replace(/\/+$/, ""),
    headers: { ...context.settings.headers, "x-api-key": requireApiKey(context, definition) },
  };
}
