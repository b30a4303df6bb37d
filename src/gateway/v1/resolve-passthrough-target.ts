import { LlmuxError } from "../../core/errors.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { ollamaHost } from "../../providers/ollama-provider.ts";
import type { ProviderContext, ProviderDefinition } from "../../providers/provider-definition.ts";
import type { ResolvedModel } from "../../providers/provider-registry.ts";
import { readBaseUrl, readSetting, requireApiKey } from "../../providers/read-provider-setting.ts";

/** An OpenAI-compatible API the gateway forwards request bytes to, credentials included. */
export interface PassthroughTarget {
  /** Base URL without a trailing slash; the OpenAI path (`/chat/completions`) is appended. */
  baseURL: string;
  /** Appended after the path, e.g. Azure's `?api-version=v1`; usually empty. */
  query: string;
  /** Auth and configured headers; they never reach the client. */
  headers: Record<string, string>;
}

/**
 * Where a model's requests go byte for byte, or undefined when its provider speaks another
 * protocol (then the gateway translates through the provider layer). Ollama's OpenAI-compatible
 * `/v1` is used rather than its native API, at the cost of num_ctx (Ollama's own default applies).
 */
export function resolvePassthroughTarget(
  resolved: ResolvedModel,
  config: LlmuxConfig,
): PassthroughTarget | undefined {
  const { definition } = resolved;
  const context: ProviderContext = { config, settings: config.file.providers[definition.id] ?? {} };
  const headers = { ...context.settings.headers };
  if (definition.id === "ollama") {
    return { baseURL: `${ollamaHost(context)}/v1`, query: "", headers };
  }
  if (!definition.openaiCompatible) return undefined;

  const endpoint = config.file.endpoints[definition.id];
  if (endpoint) {
    const apiKey = endpoint.apiKey ?? (endpoint.apiKeyEnv ? config.env[endpoint.apiKeyEnv] : undefined);
    return {
      baseURL: trimSlash(endpoint.baseURL),
      query: "",
      headers: { ...endpoint.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    };
  }
  const apiKey = requireApiKey(context, definition);
  if (definition.id === "azure") return azureTarget(context, definition, apiKey, headers);
  const baseURL = readBaseUrl(context, definition) ?? definition.defaultBaseURL;
  if (!baseURL) {
    throw new LlmuxError("config", `${definition.label} has no base URL to forward requests to`, {
      hint: `Set ${definition.baseUrlEnv ?? "its base URL"}`,
    });
  }
  return {
    baseURL: trimSlash(baseURL),
    query: "",
    headers: { ...headers, authorization: `Bearer ${apiKey}` },
  };
}

// Azure OpenAI's v1 API, as @ai-sdk/azure addresses it: `<resource>/openai/v1/...?api-version=v1`,
// the key in `api-key`, the deployment name as the body's model.
function azureTarget(
  context: ProviderContext,
  definition: ProviderDefinition,
  apiKey: string,
  headers: Record<string, string>,
): PassthroughTarget {
  const resource = readSetting(context, context.settings.resourceName, ["AZURE_RESOURCE_NAME"]);
  const configured = readBaseUrl(context, definition);
  if (!configured && !resource) {
    throw new LlmuxError(
      "missing_key",
      "Azure OpenAI needs a resource name: AZURE_RESOURCE_NAME is not set",
      {
        hint: "Set AZURE_RESOURCE_NAME (or AZURE_BASE_URL)",
      },
    );
  }
  const base = trimSlash(configured ?? `https://${resource}.openai.azure.com/openai`);
  const host = new URL(base).hostname;
  const isAzure = /\.(openai\.azure\.com|services\.ai\.azure\.com|cognitiveservices\.azure\.com)$/.test(host);
  const baseURL = isAzure && !/\/openai\/v1$/i.test(base) ? `${base}/v1` : base;
  const apiVersion = readSetting(context, context.settings.apiVersion, ["AZURE_API_VERSION"]) ?? "v1";
  return {
    baseURL,
    query: `?api-version=${encodeURIComponent(apiVersion)}`,
    headers: { ...headers, "api-key": apiKey },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
