import data from "./catalog.json" with { type: "json" };
import type { CatalogEntry } from "./catalog-schema.ts";

export type { CatalogEntry } from "./catalog-schema.ts";

// Valid by construction: catalog.test.ts checks the file against catalogSchema.
const entries: readonly CatalogEntry[] = Object.freeze(data.models as CatalogEntry[]);

/**
 * Every model llmux knows, in preference order: each provider's own API first, then managed
 * clouds, then aggregators, then local engines.
 */
export function listCatalog(): readonly CatalogEntry[] {
  return entries;
}
