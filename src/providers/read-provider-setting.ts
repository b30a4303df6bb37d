import { LlmuxError } from "../core/errors.ts";
import type { ProviderContext, ProviderDefinition } from "./provider-definition.ts";

/** The first set value among the config file's setting and the given env vars. */
export function readSetting(
  context: ProviderContext,
  fromConfig: string | undefined,
  envNames: readonly (string | undefined)[],
): string | undefined {
  if (fromConfig) return fromConfig;
  for (const name of envNames) {
    const value = name ? context.config.env[name] : undefined;
    if (value) return value;
  }
  return undefined;
}

export function readApiKey(context: ProviderContext, definition: ProviderDefinition): string | undefined {
  return readSetting(context, context.settings.apiKey, definition.keyEnv);
}

/** The key, or a missing_key error that names the env var to set. */
export function requireApiKey(context: ProviderContext, definition: ProviderDefinition): string {
  const key = readApiKey(context, definition);
  if (key) return key;
  const [first, ...others] = definition.keyEnv;
  const alternatives = others.length > 0 ? ` (or ${others.join(", ")})` : "";
  throw new LlmuxError(
    "missing_key",
    `No API key for ${definition.label}: ${first} is not set${alternatives}`,
    {
      hint: `Set ${first} in your environment or .env, or "apiKey" under providers.${definition.id} in the config file`,
    },
  );
}

export function readBaseUrl(context: ProviderContext, definition: ProviderDefinition): string | undefined {
  return readSetting(context, context.settings.baseURL, [definition.baseUrlEnv]);
}
