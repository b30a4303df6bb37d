import type { EndpointSettings, LlmuxConfig } from "../core/load-config.ts";
import { lazyProvider } from "./lazy-provider.ts";
import type { ProviderDefinition } from "./provider-definition.ts";

/**
 * Any OpenAI-compatible server declared under `endpoints` in the config file (llama.cpp server,
 * vLLM, LM Studio, a company proxy): `{ "endpoints": { "vllm": { "baseURL": "http://host:8000/v1" } } }`
 * makes `vllm:<model>` a model reference.
 */
export function endpointProviders(config: LlmuxConfig): ProviderDefinition[] {
  return Object.entries(config.file.endpoints).map(([name, endpoint]) => endpointProvider(name, endpoint));
}

function endpointProvider(name: string, endpoint: EndpointSettings): ProviderDefinition {
  return {
    id: name,
    label: `${name} (${endpoint.baseURL})`,
    category: "server",
    keyEnv: endpoint.apiKeyEnv ? [endpoint.apiKeyEnv] : [],
    baseUrlEnv: undefined,
    openaiCompatible: true,
    setup: `declared in the config file: endpoints.${name}`,
    isConfigured: () => true,
    create: (context) => {
      const apiKey =
        endpoint.apiKey ?? (endpoint.apiKeyEnv ? context.config.env[endpoint.apiKeyEnv] : undefined);
      return lazyProvider(
        name,
        async () => {
          const provider = (await import("@ai-sdk/openai-compatible")).createOpenAICompatible({
            name,
            baseURL: endpoint.baseURL,
            apiKey,
            headers: endpoint.headers,
            includeUsage: true,
            supportsStructuredOutputs: true,
          });
          return { languageModel: (id) => provider(id), embeddingModel: (id) => provider.embeddingModel(id) };
        },
        { embeddings: true },
      );
    },
  };
}
