import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { lazyProvider } from "./lazy-provider.ts";
import type { ProviderDefinition, ProviderInstance } from "./provider-definition.ts";
import { readApiKey, readBaseUrl, requireApiKey } from "./read-provider-setting.ts";

interface HostedFactorySettings {
  apiKey: string;
  baseURL: string | undefined;
  headers: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch;
}

interface HostedProvider {
  id: string;
  label: string;
  keyEnv: readonly string[];
  baseUrlEnv: string;
  openaiCompatible: boolean;
  defaultBaseURL?: string;
  embeddings: boolean;
  cannot?: ProviderDefinition["cannot"];
  defaultEncoding?: ProviderDefinition["defaultEncoding"];
  /** Imports the provider package (on first use) and makes the instance. */
  make(settings: HostedFactorySettings): Promise<ProviderInstance>;
}

/**
 * The frontier APIs reached with an API key and an optional base URL. Each wraps its own AI SDK
 * provider package, so protocol details (Anthropic's messages, Gemini's generateContent, Cohere's
 * v2 chat, Perplexity's citations) stay with the people who maintain them.
 */
const HOSTED: readonly HostedProvider[] = [
  {
    id: "openai",
    label: "OpenAI",
    keyEnv: ["OPENAI_API_KEY"],
    baseUrlEnv: "OPENAI_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.openai.com/v1",
    // Chat completions rather than the Responses API: it is what every OpenAI-compatible base URL speaks.
    embeddings: true,
    // OpenAI's models since GPT-4o; older ones are named by their ids (see openAIEncoding).
    defaultEncoding: "o200k_base",
    make: async (s) => {
      const p = (await import("@ai-sdk/openai")).createOpenAI(s);
      return { languageModel: (id) => p.chat(id), embeddingModel: (id) => p.embedding(id) };
    },
  },
  {
    id: "anthropic",
    label: "Anthropic",
    keyEnv: ["ANTHROPIC_API_KEY"],
    baseUrlEnv: "ANTHROPIC_BASE_URL",
    openaiCompatible: false,
    embeddings: false,
    make: async (s) => languageOnly((await import("@ai-sdk/anthropic")).createAnthropic(s)),
  },
  {
    id: "google",
    label: "Google Gemini",
    keyEnv: ["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"],
    baseUrlEnv: "GOOGLE_BASE_URL",
    openaiCompatible: false,
    embeddings: true,
    make: async (s) => withEmbeddings((await import("@ai-sdk/google")).createGoogleGenerativeAI(s)),
  },
  {
    id: "cohere",
    label: "Cohere",
    keyEnv: ["COHERE_API_KEY"],
    baseUrlEnv: "COHERE_BASE_URL",
    openaiCompatible: false,
    embeddings: true,
    make: async (s) => withEmbeddings((await import("@ai-sdk/cohere")).createCohere(s)),
  },
  {
    id: "perplexity",
    label: "Perplexity",
    keyEnv: ["PERPLEXITY_API_KEY"],
    baseUrlEnv: "PERPLEXITY_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.perplexity.ai",
    embeddings: false,
    // Sonar has no function calling; @ai-sdk/perplexity drops tools without a warning.
    cannot: ["tools"],
    make: async (s) => languageOnly((await import("@ai-sdk/perplexity")).createPerplexity(s)),
  },
  {
    id: "mistral",
    label: "Mistral",
    keyEnv: ["MISTRAL_API_KEY"],
    baseUrlEnv: "MISTRAL_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.mistral.ai/v1",
    embeddings: true,
    make: async (s) => withEmbeddings((await import("@ai-sdk/mistral")).createMistral(s)),
  },
  {
    id: "deepseek",
    label: "DeepSeek",
    keyEnv: ["DEEPSEEK_API_KEY"],
    baseUrlEnv: "DEEPSEEK_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.deepseek.com/v1",
    embeddings: false,
    make: async (s) => languageOnly((await import("@ai-sdk/deepseek")).createDeepSeek(s)),
  },
  {
    id: "groq",
    label: "Groq",
    keyEnv: ["GROQ_API_KEY"],
    baseUrlEnv: "GROQ_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.groq.com/openai/v1",
    embeddings: false,
    make: async (s) => languageOnly((await import("@ai-sdk/groq")).createGroq(s)),
  },
  {
    id: "xai",
    label: "xAI",
    keyEnv: ["XAI_API_KEY"],
    baseUrlEnv: "XAI_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.x.ai/v1",
    embeddings: false,
    make: async (s) => {
      const p = (await import("@ai-sdk/xai")).createXai(s);
      return { languageModel: (id) => p.chat(id) };
    },
  },
  {
    id: "openrouter",
    label: "OpenRouter",
    keyEnv: ["OPENROUTER_API_KEY"],
    baseUrlEnv: "OPENROUTER_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://openrouter.ai/api/v1",
    embeddings: false,
    make: async (s) => {
      const p = (await import("@openrouter/ai-sdk-provider")).createOpenRouter(s);
      return { languageModel: (id) => p.chat(id) as unknown as LanguageModelV3 };
    },
  },
  {
    id: "together",
    label: "Together AI",
    keyEnv: ["TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"],
    baseUrlEnv: "TOGETHER_BASE_URL",
    openaiCompatible: true,
    defaultBaseURL: "https://api.together.xyz/v1",
    embeddings: true,
    make: async (s) => withEmbeddings((await import("@ai-sdk/togetherai")).createTogetherAI(s)),
  },
];

function languageOnly(provider: (id: string) => LanguageModelV3): ProviderInstance {
  return { languageModel: (id) => provider(id) };
}

function withEmbeddings(provider: {
  (id: string): LanguageModelV3;
  embeddingModel(id: string): EmbeddingModelV3;
}): ProviderInstance {
  return { languageModel: (id) => provider(id), embeddingModel: (id) => provider.embeddingModel(id) };
}

export const hostedProviders: readonly ProviderDefinition[] = HOSTED.map((hosted) => {
  const definition: ProviderDefinition = {
    id: hosted.id,
    label: hosted.label,
    category: "frontier",
    keyEnv: hosted.keyEnv,
    baseUrlEnv: hosted.baseUrlEnv,
    openaiCompatible: hosted.openaiCompatible,
    defaultBaseURL: hosted.defaultBaseURL,
    defaultEncoding: hosted.defaultEncoding,
    embeddings: hosted.embeddings,
    cannot: hosted.cannot,
    setup: `export ${hosted.keyEnv[0]}=...`,
    isConfigured: (context) => readApiKey(context, definition) !== undefined,
    create: (context) => {
      // Settings are read now, so a missing key fails before any request is made.
      const settings = {
        apiKey: requireApiKey(context, definition),
        baseURL: readBaseUrl(context, definition),
        headers: context.settings.headers,
        ...(context.fetch && { fetch: context.fetch }),
      };
      return lazyProvider(definition, () => hosted.make(settings));
    },
  };
  return definition;
});
