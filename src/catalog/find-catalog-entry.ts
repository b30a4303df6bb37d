import { type CatalogEntry, listCatalog } from "./catalog.ts";

const DATE_SUFFIX = /^-\d{4}-\d{2}-\d{2}$/;

function answersTo(entry: CatalogEntry, name: string): boolean {
  return entry.model === name || entry.aliases.includes(name);
}

/**
 * The entry for a model of a provider, by id or alias. APIs report dated snapshots
 * (`gpt-4.1-mini-2025-04-14`); those fall back to the longest catalog id that, followed by a
 * `-YYYY-MM-DD` date, makes up the whole name.
 */
export function findCatalogEntry(provider: string, model: string): CatalogEntry | undefined {
  const ofProvider = listCatalog().filter((entry) => entry.provider === provider);
  const exact = ofProvider.find((entry) => answersTo(entry, model));
  if (exact) return exact;
  let best: CatalogEntry | undefined;
  for (const entry of ofProvider) {
    if (
      model.startsWith(entry.model) &&
      DATE_SUFFIX.test(model.slice(entry.model.length)) &&
      entry.model.length > (best?.model.length ?? 0)
    ) {
      best = entry;
    }
  }
  return best;
}

/**
 * The entries, across providers, that a bare name like `gpt-4o` or `claude-sonnet-4-5` means,
 * in catalog order (the provider's own API first), so the caller can take the first.
 */
export function resolveBareModelName(name: string): CatalogEntry[] {
  return listCatalog().filter((entry) => answersTo(entry, name));
}
