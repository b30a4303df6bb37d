import { randomUUID } from "node:crypto";
import { LlmuxError } from "../core/errors.ts";
import type { SqlClient } from "./sql-client.ts";
import { insertUsageRows, type UsageRow } from "./usage-log.ts";

export interface UsageWriter {
  /** Queues a row (never waits, never throws while open); it is written within `flushMs`. */
  record(row: UsageRow): void;
  /** Writes every queued row now; rejects (the rows stay queued) when the database cannot take them. */
  flush(): Promise<void>;
  /** Stops taking rows and writes the queued ones, retrying for up to `closeTimeoutMs`. */
  close(): Promise<void>;
  /** Rows recorded and not yet written (queued or being written): the buffer's fill. */
  bufferedRows(): number;
  /** Rows given up: the oldest, pushed out of a full buffer, and rows the database refused. */
  droppedRows(): number;
}

interface UsageWriterOptions {
  /** Where rows go, as messages name it (a file, or a URL without its password). */
  where?: string;
  flushMs?: number;
  /** Rows per transaction (multi-row INSERTs inside). */
  batchRows?: number;
  /** The buffer's bound: past it the oldest rows are dropped, so memory never grows without end. */
  maxRows?: number;
  /** First retry delay after a failed write; doubles up to 10 s. */
  retryMs?: number;
  closeTimeoutMs?: number;
  /** One line per event (outage, recovery, full buffer), never per row. */
  log?: (line: string) => void;
}

const MAX_RETRY_MS = 10_000;

/**
 * Usage rows off the request path: recorded into a bounded in-memory buffer and written in
 * batches, one transaction each. A failed write (the database restarting) keeps its rows and is
 * retried with backoff; a full buffer drops its oldest rows, with one log line and a counter;
 * a row the database refuses as invalid is dropped alone (retrying cannot help it). close() writes
 * the rest. Timers are unref'd: a pending write never keeps the process alive.
 */
export function createUsageWriter(sql: SqlClient, options: UsageWriterOptions = {}): UsageWriter {
  const {
    where = "the usage log",
    flushMs = 200,
    batchRows = 5000,
    maxRows = 100_000,
    retryMs = 250,
    closeTimeoutMs = 10_000,
    log = (line: string) => process.stderr.write(`llmux: ${line}\n`),
  } = options;
  // A queue with a moving head: dropping the oldest must not copy 100,000 rows each time.
  let queue: UsageRow[] = [];
  let head = 0;
  // The batch being written, then (after a failure) the one to write again, whole, with its id.
  let batch: { id: string; rows: UsageRow[] } | undefined;
  let dropped = 0;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failure: Error | undefined;
  let retryDelay = retryMs;
  let warnedFull = false;
  let closed = false;
  const queued = () => queue.length - head;
  const buffered = () => queued() + (batch?.rows.length ?? 0);

  const take = (): { id: string; rows: UsageRow[] } => {
    const rows = queue.slice(head, head + batchRows);
    head += rows.length;
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return { id: randomUUID(), rows };
  };

  // A batch the database refused: each row alone, so that one bad row costs only itself.
  const writeOneByOne = async (rows: UsageRow[]) => {
    let refused = 0;
    let reason = "";
    try {
      for (let i = 0; i < rows.length; i++) {
        const single = { id: randomUUID(), rows: [rows[i]!] };
        try {
          await insertUsageRows(sql, single.rows, single.id);
        } catch (error) {
          if (!refusesData(error)) {
            // This row is retried with its id; the ones after it go back to the queue's head.
            batch = single;
            queue = [...rows.slice(i + 1), ...queue.slice(head)];
            head = 0;
            throw error;
          }
          refused++;
          reason = (error as Error).message;
        }
      }
    } finally {
      if (refused > 0) {
        dropped += refused;
        log(`dropped ${refused} usage rows ${where} refused: ${reason}`);
      }
    }
  };

  const writeQueued = async () => {
    while (batch || queued() > 0) {
      batch ??= take();
      const current = batch;
      try {
        await insertUsageRows(sql, current.rows, current.id);
        batch = undefined;
      } catch (error) {
        // Kept whole with its id: if it did commit (only the answer was lost), it is not written twice.
        if (!refusesData(error)) throw error;
        batch = undefined;
        await writeOneByOne(current.rows);
      }
    }
  };

  const wrote = () => {
    if (failure) log(`usage rows are written to ${where} again`);
    failure = undefined;
    retryDelay = retryMs;
    warnedFull = false;
  };

  const failed = (error: Error) => {
    if (!failure) {
      log(
        `could not write usage rows to ${where} (${error.message}): ${buffered()} kept in memory, retrying`,
      );
    }
    failure = error;
    if (timer === undefined) {
      timer = setTimeout(pump, retryDelay);
      timer.unref();
    }
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
  };

  function pump(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    writing ??= writeQueued()
      .then(wrote, failed)
      .finally(() => {
        writing = undefined;
        // A row recorded between the last batch and here has no timer yet.
        if (buffered() > 0 && !failure && timer === undefined && !closed) {
          timer = setTimeout(pump, flushMs);
          timer.unref();
        }
      });
    return writing;
  }

  return {
    record(row) {
      if (closed) throw new LlmuxError("internal", "The usage writer is closed");
      if (buffered() >= maxRows) {
        if (!warnedFull) {
          log(
            `the usage buffer is full (${maxRows} rows: ${where} is unreachable, or slower than the requests): dropping the oldest rows (llmux_gateway_usage_rows_dropped_total counts them)`,
          );
          warnedFull = true;
        }
        dropped++;
        if (queued() === 0) return;
        head++;
      }
      queue.push(row);
      if (writing || failure) return; // the running write or the retry takes it
      if (queued() >= batchRows) {
        void pump();
      } else if (timer === undefined) {
        timer = setTimeout(pump, flushMs);
        timer.unref();
      }
    },
    async flush() {
      await writing;
      await pump();
      if (failure && buffered() > 0) throw failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      const deadline = performance.now() + closeTimeoutMs;
      for (;;) {
        await writing;
        await pump();
        const left = deadline - performance.now();
        if (buffered() === 0 || left <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryDelay, left)));
      }
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (buffered() > 0)
        log(`${buffered()} usage rows could not be written to ${where} before closing: lost`);
    },
    bufferedRows: buffered,
    droppedRows: () => dropped,
  };
}

/**
 * Errors about the rows themselves, which a retry cannot fix: PostgreSQL's data exceptions and
 * integrity violations (SQLSTATE classes 22 and 23), SQLite's constraint and type errors.
 */
function refusesData(error: unknown): boolean {
  if (error instanceof LlmuxError) return true;
  const code = String((error as { code?: unknown }).code ?? "");
  return /^2[23]/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|RANGE)/.test(code);
}
