/** Env vars whose values are secrets: their values are scrubbed from every message llmux shows. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;

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

export function redactSecrets(
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  let result = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_NAME.test(name)) result = result.split(value).join("[redacted]");
  }
  for (const shape of KEY_SHAPES) {
    result = result.replace(shape, (match, bearer) =>
      typeof bearer === "string" && match.startsWith(bearer) ? `${bearer}[redacted]` : "[redacted]",
    );
  }
  return result;
}
