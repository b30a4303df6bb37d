/**
 * Where finished summaries are kept between runs (`createSummaryCache` in src/store is the SQLite
 * one the CLI and the gateway share). Keys come from summaryCacheKey; values are opaque text.
 * Either method may answer at once or with a promise (a store on a database server); a Map is a
 * cache for one process.
 */
export interface SummaryCache {
  get(key: string): string | undefined | Promise<string | undefined>;
  set(key: string, value: string): unknown;
}
