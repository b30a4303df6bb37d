import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import type { LlmuxConfig, ProviderSettings } from "../core/load-config.ts";
import type { OpenAIEncoding } from "./openai-encoding.ts";
import type { ResolvedModel } from "./provider-registry.ts";

/** What a call may ask of a chat model beyond text. */
export type ModelCapability = "tools" | "jsonSchema";

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
  /** Offers embedding models through llmux (`llmux embed`, the gateway's /v1/embeddings). */
  embeddings: boolean;
  /**
   * What its chat models cannot do (absent: they can do all; every provider streams). A call
   * asking for it is refused (checkCallCapabilities) rather than answered without it, which is
   * what its AI SDK package would do, changing the answer.
   */
  cannot?: readonly ModelCapability[];
  isConfigured(context: ProviderContext): boolean;
  /** Its models run on this machine: free per token, whatever the catalog or the config says. */
  runsLocally?: true;
  /** The encoding of a model whose id names none (providers that serve OpenAI's models only). */
  defaultEncoding?: OpenAIEncoding;
  /** Counts with the model's own tokenizer; absent: OpenAI's encodings where they apply, else an estimate. */
  countTokens?(resolved: ResolvedModel, text: string, config: LlmuxConfig): Promise<TokenCount>;
  /** The model's context and counter as calls will see them; absent: the catalog's (see resolveModelLimits). */
  modelLimits?(resolved: ResolvedModel, config: LlmuxConfig): Promise<ModelLimits>;
  /**
   * Whether its models answer now. Absent: they do when the provider is configured, else "no key".
   * Servers probe themselves (a short GET, cached); the embedded engine looks on disk.
   */
  checkReadiness?(context: ReadinessContext): Promise<ProviderReadiness>;
  create(context: ProviderContext): ProviderInstance;
}

export interface TokenCount {
  /** Which tokenizer counted: the model file, a named BPE encoding, or "estimate". */
  tokenizer: string;
  /** False when the count is an estimate (providers whose tokenizer is not public). */
  exact: boolean;
  count: number;
  ids?: number[];
  pieces?: string[];
}

/** What a caller filling a model's context (a summary) needs to know about the model. */
export interface ModelLimits {
  /** Tokens of context the calls may use. */
  contextWindow: number;
  countTokens(text: string): number;
  /** As TokenCount's: "estimate" when countTokens estimates. */
  tokenizer: string;
  /** Sent with every call (Ollama's num_ctx). */
  providerOptions: Record<string, Record<string, unknown>> | undefined;
  /**
   * Whether calls always carry a max-tokens cap. Local engines write until the context is full
   * without one; cloud reasoning models would spend a small cap on thinking, so they get none
   * unless the caller asks.
   */
  capOutput: boolean;
  /** False for a local model without a chat template: it only continues text, so the system prompt goes into the text. */
  systemRole: boolean;
  /** Calls to run at once. */
  concurrency: number;
  /** Lets go of the local model (it stays loaded for the summary's calls until then). */
  release(): void;
}

/** Why a known model cannot answer now, in the one word `llmux models` and the web UI show. */
export type NotReadyReason = "no key" | "not downloaded" | "not running";

/** A model a provider reports itself: pulled into Ollama, served by an endpoint, installed locally. */
interface ReportedModel {
  id: string;
  contextWindow?: number;
  weights?: "open" | "closed";
}

export interface ProviderReadiness {
  /** Why none of its models can answer now; null when they can. */
  reason: NotReadyReason | null;
  /** The models it reports itself; listed wherever models are listed. */
  models: readonly ReportedModel[];
  /** Whether one model can answer while the provider can (absent: every model can); else "not downloaded". */
  hasModel?(modelId: string): boolean | Promise<boolean>;
}

/** The answer to a probe: the HTTP status (null: no answer in time) and the models its body lists. */
export interface ProbeAnswer {
  status: number | null;
  models: string[] | null;
}

export interface ProbeRequest {
  url: string;
  headers?: Record<string, string>;
  /** The model ids in the answer's JSON body, or undefined when it has another shape. */
  readModels(body: unknown): string[] | undefined;
}

interface ReadinessContext extends ProviderContext {
  /** GET with a short timeout; answers are shared between processes for a while (see createServerProbe). */
  probe(request: ProbeRequest): Promise<ProbeAnswer>;
}
