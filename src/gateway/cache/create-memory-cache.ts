import type { CachedAnswer } from "./cached-answer.ts";
import type { ResponseCache } from "./response-cache.ts";

interface Entry {
  answer: CachedAnswer;
  bytes: number;
  expiresAt: number;
}

/**
 * Answers in this process's memory, at most `maxBytes` of them: a Map in least-recently-used
 * order (a hit moves its entry to the end), the oldest evicted first; an entry past its TTL is
 * dropped when next looked up or when it reaches the front.
 */
export function createMemoryCache(options: { ttlMs: number; maxBytes: number }): ResponseCache {
  const entries = new Map<string, Entry>();
  let held = 0;
  const drop = (key: string, entry: Entry) => {
    entries.delete(key);
    held -= entry.bytes;
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      drop(key, entry);
      if (entry.expiresAt <= Date.now()) return undefined;
      entries.set(key, entry);
      held += entry.bytes;
      return entry.answer;
    },
    set(key, answer, bytes) {
      if (bytes > options.maxBytes) return;
      const old = entries.get(key);
      if (old) drop(key, old);
      entries.set(key, { answer, bytes, expiresAt: Date.now() + options.ttlMs });
      held += bytes;
      for (const [oldest, entry] of entries) {
        if (held <= options.maxBytes) break;
        drop(oldest, entry);
      }
    },
    bytes: () => held,
    async close() {
      entries.clear();
      held = 0;
    },
  };
}
