/**
 * A model reference is `provider:model` (`openai:gpt-4.1-mini`, `ollama:llama3.2:1b`,
 * `local:./models/x.gguf`) or a bare name (`gpt-4o`, an alias) resolved later through the
 * catalog and the user's aliases. Only the text before the first colon can name a provider, and
 * only when it is a known provider id: `llama3.2:1b` stays a bare name.
 */
interface ModelReference {
  provider: string | undefined;
  model: string;
}

export function parseModelReference(reference: string, knownProviders: ReadonlySet<string>): ModelReference {
  const text = reference.trim();
  const colon = text.indexOf(":");
  if (colon > 0) {
    const provider = text.slice(0, colon).toLowerCase();
    if (knownProviders.has(provider)) return { provider, model: text.slice(colon + 1) };
  }
  return { provider: undefined, model: text };
}
