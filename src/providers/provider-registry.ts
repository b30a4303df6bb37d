import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import type { CatalogEntry } from "../catalog/catalog.ts";
import { findCatalogEntry, resolveBareModelName } from "../catalog/find-catalog-entry.ts";
import { LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { parseModelReference } from "../core/model-reference.ts";
import { checkCallCapabilities } from "./check-call-capabilities.ts";
import { DEFAULT_MODEL } from "./default-model.ts";
import { endpointProviders } from "./endpoint-providers.ts";
import { hostedProviders } from "./hosted-providers.ts";
import { localProvider } from "./local-provider.ts";
import { azureProvider, bedrockProvider, vertexProvider } from "./managed-providers.ts";
import { ollamaProvider } from "./ollama-provider.ts";
import type { ProviderContext, ProviderDefinition, ProviderInstance } from "./provider-definition.ts";

// Its own module, so the web UI can name it without bundling the registry.
export { DEFAULT_MODEL };

export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = [
  ...hostedProviders,
  azureProvider,
  bedrockProvider,
  vertexProvider,
  ollamaProvider,
  localProvider,
];

export interface ResolvedModel {
  /** `provider:model`, after aliases and bare names are resolved. */
  reference: string;
  provider: string;
  modelId: string;
  definition: ProviderDefinition;
  catalogEntry: CatalogEntry | undefined;
}

export interface ProviderRegistry {
  readonly config: LlmuxConfig;
  readonly providers: ReadonlyMap<string, ProviderDefinition>;
  /** Turns any model reference, bare catalog name or alias into provider and model id. */
  resolve(reference: string): ResolvedModel;
  languageModel(resolved: ResolvedModel): LanguageModelV3;
  embeddingModel(resolved: ResolvedModel): EmbeddingModelV3;
  isConfigured(providerId: string): boolean;
  /** --model, else LLMUX_MODEL, else the config's defaultModel, else the embedded local default. */
  defaultModel(explicit?: string): string;
}

interface ProviderRegistryOptions {
  /** Given to the AI SDK providers reached by API key (the gateway's, which takes over some requests). */
  fetch?: typeof globalThis.fetch;
}

export function createProviderRegistry(
  config: LlmuxConfig,
  options: ProviderRegistryOptions = {},
): ProviderRegistry {
  const providers = new Map<string, ProviderDefinition>();
  for (const definition of BUILT_IN_PROVIDERS) providers.set(definition.id, definition);
  for (const definition of endpointProviders(config)) {
    if (providers.has(definition.id)) {
      throw new LlmuxError(
        "config",
        `Config file ${config.configPath}: endpoint "${definition.id}" clashes with a built-in provider`,
        {
          hint: "Rename the endpoint",
        },
      );
    }
    providers.set(definition.id, definition);
  }
  const known = new Set(providers.keys());
  const instances = new Map<string, ProviderInstance>();
  const languageModels = new Map<string, LanguageModelV3>();

  const contextFor = (id: string): ProviderContext => ({
    config,
    settings: config.file.providers[id] ?? {},
    fetch: options.fetch,
  });
  const instanceFor = (definition: ProviderDefinition): ProviderInstance => {
    let instance = instances.get(definition.id);
    if (!instance) {
      instance = definition.create(contextFor(definition.id));
      instances.set(definition.id, instance);
    }
    return instance;
  };

  function resolve(reference: string, seen: readonly string[] = []): ResolvedModel {
    const alias = config.file.aliases[reference];
    if (alias !== undefined) {
      if (seen.includes(reference)) {
        throw new LlmuxError(
          "config",
          `Alias "${reference}" refers to itself (${[...seen, reference].join(" -> ")})`,
          {
            hint: "Fix the aliases in the config file",
          },
        );
      }
      return resolve(alias, [...seen, reference]);
    }
    const parsed = parseModelReference(reference, known);
    if (!parsed.model) {
      throw new LlmuxError("usage", `"${reference}" names no model`, {
        hint: "Write provider:model, e.g. openai:gpt-4.1-mini",
      });
    }
    if (parsed.provider !== undefined) {
      const definition = providers.get(parsed.provider)!;
      return {
        reference: `${definition.id}:${parsed.model}`,
        provider: definition.id,
        modelId: parsed.model,
        definition,
        catalogEntry: findCatalogEntry(definition.id, parsed.model),
      };
    }
    const entry = resolveBareModelName(parsed.model)[0];
    const definition = entry ? providers.get(entry.provider) : undefined;
    if (!entry || !definition) {
      throw new LlmuxError(
        "model_not_found",
        `Unknown model "${reference}": it is neither provider:model, a catalog name nor an alias`,
        {
          hint: "Write provider:model (e.g. openai:gpt-4.1-mini, ollama:llama3.2:1b); `llmux models` lists the catalog",
        },
      );
    }
    return {
      reference: `${entry.provider}:${entry.model}`,
      provider: entry.provider,
      modelId: entry.model,
      definition,
      catalogEntry: entry,
    };
  }

  return {
    config,
    providers,
    resolve: (reference) => resolve(reference),
    languageModel: (resolved) => {
      // One model object per reference, so what it sets up on first use (a local model's file
      // lookup and chat template) is not redone on every call.
      let model = languageModels.get(resolved.reference);
      if (!model) {
        model = checkingCapabilities(
          instanceFor(resolved.definition).languageModel(resolved.modelId),
          resolved.definition,
        );
        languageModels.set(resolved.reference, model);
      }
      return model;
    },
    embeddingModel: (resolved) => {
      const instance = instanceFor(resolved.definition);
      if (!instance.embeddingModel) {
        throw new LlmuxError(
          "unsupported",
          `${resolved.definition.label} offers no embeddings through llmux`,
          {
            hint: "Use an embedding model of OpenAI, Google, Cohere, Mistral, Together, Bedrock, Vertex or Ollama",
          },
        );
      }
      return instance.embeddingModel(resolved.modelId);
    },
    isConfigured: (id) => {
      return providers.get(id)?.isConfigured(contextFor(id)) ?? false;
    },
    defaultModel: (explicit) =>
      explicit || config.env.LLMUX_MODEL || config.file.defaultModel || DEFAULT_MODEL,
  };
}

// Every surface calls models through here, so each call is checked against its provider's
// capabilities in this one place.
function checkingCapabilities(model: LanguageModelV3, definition: ProviderDefinition): LanguageModelV3 {
  if (!definition.cannot?.length) return model;
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate(options) {
      checkCallCapabilities(definition, options);
      return model.doGenerate(options);
    },
    doStream(options) {
      checkCallCapabilities(definition, options);
      return model.doStream(options);
    },
  };
}
