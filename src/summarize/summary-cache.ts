/**
 * Where finished summaries are kept between runs (`createSummaryCache` in src/store is the SQLite
 * one the CLI and the gateway share). Keys come from summaryCacheKey; values are opaque text.
 */
export interface SummaryCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
