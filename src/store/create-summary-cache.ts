import type Database from "better-sqlite3";
import type { SummaryCache } from "../summarize/summary-cache.ts";

interface SummaryCacheStore extends SummaryCache {
  /** Entries and the bytes their keys and values take. */
  stats(): { entries: number; bytes: number; maxBytes: number };
  /** Removes every entry; returns how many there were. */
  clear(): number;
}

/**
 * The summary cache in the llmux database (table `summary_cache`). A read marks the entry used;
 * a write that takes the cache past `maxBytes` evicts the least recently used entries, in the
 * same transaction, so the table is never left over its bound or half-written.
 */
export function createSummaryCache(
  db: Database.Database,
  { maxBytes }: { maxBytes: number },
): SummaryCacheStore {
  const select = db.prepare("SELECT value FROM summary_cache WHERE key = ?");
  const touch = db.prepare("UPDATE summary_cache SET used_ms = ? WHERE key = ?");
  const upsert = db.prepare(
    `INSERT INTO summary_cache (key, value, bytes, created_ms, used_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes,
       created_ms = excluded.created_ms, used_ms = excluded.used_ms`,
  );
  const totals = db.prepare(
    "SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM summary_cache",
  );
  const oldest = db.prepare("SELECT key, bytes FROM summary_cache ORDER BY used_ms, created_ms");
  const remove = db.prepare("DELETE FROM summary_cache WHERE key = ?");
  const removeAll = db.prepare("DELETE FROM summary_cache");
  // Two entries written in the same millisecond still have an order of use.
  let lastMs = 0;
  const now = () => {
    lastMs = Math.max(Date.now(), lastMs + 1);
    return lastMs;
  };

  const set = db.transaction((key: string, value: string) => {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
    if (bytes > maxBytes) return;
    const time = now();
    upsert.run(key, value, bytes, time, time);
    let { bytes: total } = totals.get() as { bytes: number };
    if (total <= maxBytes) return;
    // Keys and sizes only, taken whole: better-sqlite3 runs no statement while another iterates.
    for (const row of oldest.all() as { key: string; bytes: number }[]) {
      if (total <= maxBytes) break;
      remove.run(row.key);
      total -= row.bytes;
    }
  });

  return {
    get(key) {
      const row = select.get(key) as { value: string } | undefined;
      if (row) touch.run(now(), key);
      return row?.value;
    },
    set: (key, value) => {
      set.immediate(key, value);
    },
    stats() {
      const { entries, bytes } = totals.get() as { entries: number; bytes: number };
      return { entries, bytes, maxBytes };
    },
    clear: () => removeAll.run().changes,
  };
}
