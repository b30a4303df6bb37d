import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import type { LlmuxConfig, ProviderSettings } from "../core/load-config.ts";

/** How a provider is reached; the model picker and `llmux models` group by it. */
export type ProviderCategory = "frontier" | "managed" | "server" | "local";

export interface ProviderContext {
  config: LlmuxConfig;
  /** This provider's section of the config file (empty when absent). */
  settings: ProviderSettings;
  /** The fetch the AI SDK providers call; their own default (global fetch) when undefined. */
  fetch?: typeof globalThis.fetch;
}

export interface ProviderInstance {
  languageModel(modelId: string): LanguageModelV3;
  embeddingModel?(modelId: string): EmbeddingModelV3;
}

export interface ProviderDefinition {
  id: string;
  label: string;
  category: ProviderCategory;
  /** Env vars holding the key, the canonical one first (named in "missing key" errors). */
  keyEnv: readonly string[];
  /** Env var overriding the base URL. */
  baseUrlEnv: string | undefined;
  /** Speaks OpenAI chat completions natively at `baseURL` (the gateway forwards bytes to these). */
  openaiCompatible: boolean;
  /** Where an OpenAI-compatible API lives when no base URL is set (the gateway forwards to it). */
  defaultBaseURL?: string;
  /** One line for the README and errors: how to set this provider up. */
  setup: string;
  isConfigured(context: ProviderContext): boolean;
  create(context: ProviderContext): ProviderInstance;
}
