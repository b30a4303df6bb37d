import type Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";
import { recordUsage, type UsageRow } from "./usage-log.ts";

interface UsageWriter {
  /** Queues a row; it reaches the database within `flushMs`, or at once when the batch is full. */
  record(row: UsageRow): void;
  /** Writes every queued row now, in one transaction. */
  flush(): void;
  /** Flushes, then refuses further rows. */
  close(): void;
}

interface UsageWriterOptions {
  flushMs?: number;
  maxBatch?: number;
  /** Where a failed timed flush is reported (nobody awaits the timer); defaults to a process warning. */
  onError?: (error: unknown) => void;
}

/**
 * A batched usage writer for the gateway's hot path: one transaction per batch instead of one
 * fsync per request. The timer is unref'd so a pending flush never keeps the process alive;
 * callers close() on shutdown to write the tail.
 */
export function createUsageWriter(db: Database.Database, options: UsageWriterOptions = {}): UsageWriter {
  const { flushMs = 200, maxBatch = 256, onError = reportFlushError } = options;
  const insertAll = db.transaction((rows: UsageRow[]) => {
    for (const row of rows) recordUsage(db, row);
  });
  let queue: UsageRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queue.length === 0) return;
    const rows = queue;
    queue = [];
    insertAll(rows);
  }

  function flushFromTimer(): void {
    timer = undefined;
    try {
      flush();
    } catch (error) {
      onError(error);
    }
  }

  return {
    record(row) {
      if (closed) throw new LlmuxError("internal", "The usage writer is closed");
      queue.push(row);
      if (queue.length >= maxBatch) {
        flush();
      } else if (!timer) {
        timer = setTimeout(flushFromTimer, flushMs);
        timer.unref();
      }
    },
    flush,
    close() {
      if (closed) return;
      closed = true;
      flush();
    },
  };
}

function reportFlushError(error: unknown): void {
  process.emitWarning(`llmux could not write usage rows: ${(error as Error).message}`);
}
