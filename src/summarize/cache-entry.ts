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
): { read(): T | undefined; write(value: T): void } {
  return {
    read() {
      try {
        const text = cache?.get(key);
        if (text === undefined) return undefined;
        const value: unknown = JSON.parse(text);
        return isValid(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    write(value) {
      try {
        cache?.set(key, JSON.stringify(value));
      } catch {
        // Only the next run's time is lost.
      }
    },
  };
}
