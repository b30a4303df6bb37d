import type { SummaryCache } from "./summary-cache.ts";

/**
 * One entry of the summary cache, as JSON of a known shape. A cache that cannot be read or
 * written (a locked or full disk) costs a model call, never the summary; an entry of another
 * shape (an older llmux's) is a miss.
 */
export function cacheEntry<T>(
  cache: SummaryCache | undefined,
  key: string,
  isValid: (value: unknown) => value is T,
): { read(): Promise<T | undefined>; write(value: T): Promise<void> } {
  return {
    async read() {
      try {
        const text = await cache?.get(key);
        if (text === undefined) return undefined;
        const value: unknown = JSON.parse(text);
        return isValid(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    async write(value) {
      try {
        await cache?.set(key, JSON.stringify(value));
      } catch {
        // Only the next run's time is lost.
      }
    },
  };
}
