import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { LlmuxError } from "../core/errors.ts";
import { lazyProvider } from "./lazy-provider.ts";
import type { ProviderContext, ProviderDefinition } from "./provider-definition.ts";
import { readBaseUrl, readSetting, requireApiKey } from "./read-provider-setting.ts";

/** Azure OpenAI: model ids are deployment names. */
export const azureProvider: ProviderDefinition = {
  id: "azure",
  label: "Azure OpenAI",
  category: "managed",
  keyEnv: ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"],
  baseUrlEnv: "AZURE_BASE_URL",
  openaiCompatible: true,
  embeddings: true,
  // Deployments of OpenAI's models, named by their owners: the current encoding unless the name says otherwise.
  defaultEncoding: "o200k_base",
  setup: "export AZURE_API_KEY=... AZURE_RESOURCE_NAME=... (model = your deployment name)",
  isConfigured: (context) =>
    readSetting(context, context.settings.apiKey, azureProvider.keyEnv) !== undefined &&
    (azureResourceName(context) !== undefined || readBaseUrl(context, azureProvider) !== undefined),
  create: (context) => {
    const apiKey = requireApiKey(context, azureProvider);
    const baseURL = readBaseUrl(context, azureProvider);
    const resourceName = azureResourceName(context);
    if (!baseURL && !resourceName) {
      throw new LlmuxError(
        "missing_key",
        "Azure OpenAI needs a resource name: AZURE_RESOURCE_NAME is not set",
        {
          hint: 'Set AZURE_RESOURCE_NAME (or AZURE_BASE_URL), or "resourceName" under providers.azure in the config file',
        },
      );
    }
    const settings = {
      apiKey,
      baseURL,
      resourceName: baseURL ? undefined : resourceName,
      apiVersion: readSetting(context, context.settings.apiVersion, ["AZURE_API_VERSION"]),
      headers: context.settings.headers,
    };
    return lazyProvider(azureProvider, async () => {
      const provider = (await import("@ai-sdk/azure")).createAzure(settings);
      return { languageModel: (id) => provider.chat(id), embeddingModel: (id) => provider.embedding(id) };
    });
  },
};

function azureResourceName(context: ProviderContext): string | undefined {
  return readSetting(context, context.settings.resourceName, ["AZURE_RESOURCE_NAME"]);
}

/**
 * AWS Bedrock through the Converse API. Credentials: a Bedrock API key, static keys from the
 * environment, else the standard AWS chain (profiles, SSO, container and instance roles).
 */
export const bedrockProvider: ProviderDefinition = {
  id: "bedrock",
  label: "AWS Bedrock",
  category: "managed",
  keyEnv: ["AWS_ACCESS_KEY_ID", "AWS_BEARER_TOKEN_BEDROCK", "AWS_PROFILE"],
  baseUrlEnv: "BEDROCK_BASE_URL",
  openaiCompatible: false,
  embeddings: true,
  setup: "AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or SSO) and AWS_REGION",
  isConfigured: (context) => {
    const env = context.config.env;
    return Boolean(
      env.AWS_BEARER_TOKEN_BEDROCK ||
        (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
        env.AWS_PROFILE ||
        env.AWS_WEB_IDENTITY_TOKEN_FILE ||
        existsSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(env.HOME ?? homedir(), ".aws", "credentials")),
    );
  },
  create: (context) => {
    const env = context.config.env;
    const region =
      readSetting(context, context.settings.region, ["AWS_REGION", "AWS_DEFAULT_REGION"]) ?? "us-east-1";
    const baseURL = readBaseUrl(context, bedrockProvider);
    const common = { region, baseURL, headers: context.settings.headers };
    return lazyProvider(bedrockProvider, async () => {
      const { createAmazonBedrock } = await import("@ai-sdk/amazon-bedrock");
      const provider = env.AWS_BEARER_TOKEN_BEDROCK
        ? createAmazonBedrock({ ...common, apiKey: env.AWS_BEARER_TOKEN_BEDROCK })
        : env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? createAmazonBedrock({
              ...common,
              accessKeyId: env.AWS_ACCESS_KEY_ID,
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
              sessionToken: env.AWS_SESSION_TOKEN,
            })
          : createAmazonBedrock({ ...common, credentialProvider: await awsCredentialChain() });
      return {
        languageModel: (id) => provider.languageModel(id),
        embeddingModel: (id) => provider.embedding(id),
      };
    });
  },
};

async function awsCredentialChain() {
  const chain = (await import("@aws-sdk/credential-providers")).fromNodeProviderChain();
  return async () => {
    try {
      return await chain();
    } catch (error) {
      throw new LlmuxError("missing_key", "No AWS credentials found for Bedrock", {
        cause: error,
        hint: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run `aws sso login`",
      });
    }
  };
}

/** Google Vertex AI with application default credentials (or an express-mode API key). */
export const vertexProvider: ProviderDefinition = {
  id: "vertex",
  label: "Google Vertex AI",
  category: "managed",
  keyEnv: ["GOOGLE_VERTEX_PROJECT", "GOOGLE_CLOUD_PROJECT", "GOOGLE_VERTEX_API_KEY"],
  baseUrlEnv: "VERTEX_BASE_URL",
  openaiCompatible: false,
  embeddings: true,
  setup: "gcloud auth application-default login; export GOOGLE_VERTEX_PROJECT=... GOOGLE_VERTEX_LOCATION=...",
  isConfigured: (context) =>
    vertexProject(context) !== undefined || Boolean(context.config.env.GOOGLE_VERTEX_API_KEY),
  create: (context) => {
    const apiKey = context.config.env.GOOGLE_VERTEX_API_KEY;
    const project = vertexProject(context);
    if (!project && !apiKey) {
      throw new LlmuxError(
        "missing_key",
        "No Google Cloud project for Vertex AI: GOOGLE_VERTEX_PROJECT is not set",
        {
          hint: "Run `gcloud auth application-default login` and set GOOGLE_VERTEX_PROJECT (and GOOGLE_VERTEX_LOCATION)",
        },
      );
    }
    const settings = {
      project,
      apiKey,
      location:
        readSetting(context, context.settings.location, [
          "GOOGLE_VERTEX_LOCATION",
          "GOOGLE_CLOUD_LOCATION",
        ]) ?? "us-central1",
      baseURL: readBaseUrl(context, vertexProvider),
      headers: context.settings.headers,
    };
    return lazyProvider(vertexProvider, async () => {
      const provider = (await import("@ai-sdk/google-vertex")).createVertex(settings);
      return { languageModel: (id) => provider(id), embeddingModel: (id) => provider.embeddingModel(id) };
    });
  },
};

function vertexProject(context: ProviderContext): string | undefined {
  return readSetting(context, context.settings.project, ["GOOGLE_VERTEX_PROJECT", "GOOGLE_CLOUD_PROJECT"]);
}
