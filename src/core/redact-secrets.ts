/** Env vars whose values are secrets: their values are scrubbed from every message llmux shows. */
export const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;

/** Shorter values are not redacted by value: they would scrub common words out of messages. */
const MIN_SECRET_LENGTH = 8;

/** Shapes of provider keys that may come back inside a provider's own error message. */
const KEY_SHAPES = [
  /\b(sk|pk|rk)-[A-Za-z0-9_*-]{8,}/g, // OpenAI, Anthropic (sk-ant-...), DeepSeek, OpenRouter (sk-or-...)
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google
  /\bgsk_[A-Za-z0-9]{10,}/g, // Groq
  /\bxai-[A-Za-z0-9]{10,}/g, // xAI
  /\bpplx-[A-Za-z0-9]{10,}/g, // Perplexity
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bllmux_[A-Za-z0-9_-]{16,}/g, // llmux gateway keys
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
];

// The exact values the loaded configuration resolved as credentials, longest first (so a key that
// contains another is scrubbed whole).
let known: string[] = [];

/**
 * Adds exact secret values (API keys from the config file, `.env` and the environment, header
 * values...) to those redactSecrets scrubs from every message, whatever their shape. loadConfig
 * registers the configuration's credentials here; values shorter than MIN_SECRET_LENGTH are ignored.
 */
export function registerSecrets(values: Iterable<string | undefined>): void {
  const all = new Set(known);
  for (const value of values) if (value && value.length >= MIN_SECRET_LENGTH) all.add(value);
  if (all.size === known.length) return;
  known = [...all].sort((a, b) => b.length - a.length);
}

export function redactSecrets(
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  let result = text;
  for (const value of known) if (result.includes(value)) result = result.split(value).join("[redacted]");
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && SECRET_NAME.test(name))
      result = result.split(value).join("[redacted]");
  }
  for (const shape of KEY_SHAPES) {
    result = result.replace(shape, (match, bearer) =>
      typeof bearer === "string" && match.startsWith(bearer) ? `${bearer}[redacted]` : "[redacted]",
    );
  }
  return result;
}
