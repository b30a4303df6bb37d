import type { CatalogEntry } from "../catalog/catalog.ts";
import type { ProviderDefinition } from "./provider-definition.ts";

/** gpt-tokenizer's encodings of OpenAI's models. */
export type OpenAIEncoding = "o200k_base" | "cl100k_base";

/**
 * The encoding of an OpenAI model, wherever it is served (`openai/gpt-4o` through a router counts
 * like `openai:gpt-4o`): o200k_base since GPT-4o, cl100k_base for GPT-4, GPT-3.5 and the
 * embeddings; undefined for other makers' models, whose tokenizers llmux does not have.
 */
export function openAIEncoding(model: {
  modelId: string;
  definition: Pick<ProviderDefinition, "defaultEncoding">;
  catalogEntry: Pick<CatalogEntry, "family"> | undefined;
}): OpenAIEncoding | undefined {
  const name = model.modelId.slice(model.modelId.lastIndexOf("/") + 1).toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|chatgpt-4o)/.test(name)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/.test(name)) return "cl100k_base";
  if (/^(gpt-|chatgpt-|o\d)/.test(name) || model.catalogEntry?.family === "GPT") return "o200k_base";
  return model.definition.defaultEncoding;
}
