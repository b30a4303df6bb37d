import type { EndpointSettings, LlmuxConfig } from "../core/load-config.ts";
import { lazyProvider } from "./lazy-provider.ts";
import type { ProviderContext, ProviderDefinition } from "./provider-definition.ts";

/**
 * Any OpenAI-compatible server declared under `endpoints` in the config file (llama.cpp server,
 * vLLM, LM Studio, a company proxy): `{ "endpoints": { "vllm": { "baseURL": "http://host:8000/v1" } } }`
 * makes `vllm:<model>` a model reference.
 */
export function endpointProviders(config: LlmuxConfig): ProviderDefinition[] {
  return Object.entries(config.file.endpoints).map(([name, endpoint]) => endpointProvider(name, endpoint));
}

function endpointProvider(name: string, endpoint: EndpointSettings): ProviderDefinition {
  const definition: ProviderDefinition = {
    id: name,
    label: `${name} (${endpoint.baseURL})`,
    category: "server",
    keyEnv: endpoint.apiKeyEnv ? [endpoint.apiKeyEnv] : [],
    baseUrlEnv: undefined,
    openaiCompatible: true,
    embeddings: true,
    setup: `declared in the config file: endpoints.${name}`,
    isConfigured: () => true,
    // GET {baseURL}/models: the endpoint runs when it answers, and its answer lists what it serves;
    // while it does not, the models the config declares are listed as not running.
    checkReadiness: async (context) => {
      const declared = (endpoint.models ?? []).map((id) => ({ id }));
      const apiKey = endpointApiKey(endpoint, context);
      const answer = await context.probe({
        url: `${endpoint.baseURL.replace(/\/+$/, "")}/models`,
        headers: { ...endpoint.headers, ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
        readModels: readModelIds,
      });
      if (answer.status === null) return { reason: "not running", models: declared };
      if (answer.status === 401 || answer.status === 403) return { reason: "no key", models: declared };
      return { reason: null, models: answer.models ? answer.models.map((id) => ({ id })) : declared };
    },
    create: (context) => {
      const apiKey = endpointApiKey(endpoint, context);
      return lazyProvider(definition, async () => {
        const provider = (await import("@ai-sdk/openai-compatible")).createOpenAICompatible({
          name,
          baseURL: endpoint.baseURL,
          apiKey,
          headers: endpoint.headers,
          // The gateway's capture: it reads translated answers from the bytes (capturedAnswerReader).
          ...(context.fetch && { fetch: context.fetch }),
          includeUsage: true,
          supportsStructuredOutputs: true,
        });
        return { languageModel: (id) => provider(id), embeddingModel: (id) => provider.embeddingModel(id) };
      });
    },
  };
  return definition;
}

function endpointApiKey(endpoint: EndpointSettings, context: ProviderContext): string | undefined {
  return endpoint.apiKey ?? (endpoint.apiKeyEnv ? context.config.env[endpoint.apiKeyEnv] : undefined);
}

/** The OpenAI list shape every compatible server answers GET /models with: `{"data":[{"id":...}]}`. */
function readModelIds(body: unknown): string[] | undefined {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((m: { id?: unknown }) => m?.id).filter((id): id is string => typeof id === "string");
}
