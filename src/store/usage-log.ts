import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";
import { insertRows } from "./insert-rows.ts";
import type { SqlClient } from "./sql-client.ts";

/**
 * One model call, as the usage log keeps it. There is deliberately no prompt, answer or API key
 * here (nor a column for them): the log records what was spent, never what was said or with
 * which secret. `gatewayKeyId` is the id of a gateway key, never the key itself.
 */
export interface UsageRow {
  time: Date;
  provider: string;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  /** USD; null when the price or the token counts were unknown (unknown is never 0). */
  costUsd: number | null;
  latencyMs: number;
  outcome: "ok" | "error" | "aborted";
  errorKind: string | null;
  source: "cli" | "library" | "gateway";
  gatewayKeyId: string | null;
  /** The token counts (and so the cost) are the gateway's estimate: the call was cut short unreported. */
  estimated?: boolean;
  /** The answer came from the gateway's response cache: no model was called, and it cost 0. */
  cached?: boolean;
}

/** Calls of one model from one provider on one UTC day. */
export interface UsageSummaryRow {
  /** UTC, YYYY-MM-DD. */
  day: string;
  provider: string;
  model: string;
  calls: number;
  errors: number;
  /** Calls answered from the gateway's response cache (at no cost). */
  cacheHits: number;
  /** Sum of the known counts; null when no call reported one. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** Sum of the known costs; null when no call's cost was known. */
  costUsd: number | null;
  /** True when some calls had a known cost and others did not, so `costUsd` is a lower bound. */
  costPartial: boolean;
  avgLatencyMs: number;
}

const USAGE_COLUMNS = [
  "time_ms",
  "provider",
  "model",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "latency_ms",
  "outcome",
  "error_kind",
  "source",
  "gateway_key_id",
  "estimated",
  "cached",
] as const;

const INSERT_SQL = `INSERT INTO usage (${USAGE_COLUMNS.join(", ")}) VALUES (${USAGE_COLUMNS.map(() => "?").join(", ")})`;

/** A day in UTC (YYYY-MM-DD) of `time_ms`, in each dialect's words. */
const DAY = {
  sqlite: "strftime('%Y-%m-%d', time_ms / 1000, 'unixepoch')",
  postgres: "to_char(to_timestamp(time_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
} as const;

// Quoted aliases: PostgreSQL folds unquoted ones to lower case.
const summarySql = (dialect: SqlClient["dialect"]) => `SELECT
    ${DAY[dialect]} AS day,
    provider,
    model,
    COUNT(*) AS calls,
    SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS errors,
    SUM(cached) AS "cacheHits",
    SUM(input_tokens) AS "inputTokens",
    SUM(output_tokens) AS "outputTokens",
    SUM(cost_usd) AS "costUsd",
    COUNT(cost_usd) AS "costKnown",
    AVG(latency_ms) AS "avgLatencyMs"
  FROM usage
  WHERE time_ms >= ?
  GROUP BY 1, provider, model
  ORDER BY 1, provider, model`;

/** A row's values in USAGE_COLUMNS order. */
function usageValues(row: UsageRow): unknown[] {
  const timeMs = row.time.getTime();
  if (Number.isNaN(timeMs)) throw new LlmuxError("internal", "A usage row has an invalid time");
  return [
    timeMs,
    row.provider,
    row.model,
    row.inputTokens,
    row.outputTokens,
    row.costUsd,
    Math.round(row.latencyMs),
    row.outcome,
    row.errorKind,
    row.source,
    row.gatewayKeyId,
    row.estimated ? 1 : 0,
    row.cached ? 1 : 0,
  ];
}

/** Writes one row at once to a SQLite connection: the CLI's own calls, logged on its machine. */
export function recordUsage(db: Database.Database, row: UsageRow): void {
  db.prepare(INSERT_SQL).run(...usageValues(row));
}

// How long a written batch's id is remembered: far longer than any retry waits.
const BATCH_IDS_KEPT_MS = 24 * 3_600_000;

/**
 * Writes rows in one transaction, with multi-row INSERTs: the batched writer's path. Once per
 * `batchId`: retried with the same id after a failure, a batch that did commit is not written again.
 */
export function insertUsageRows(
  sql: SqlClient,
  rows: readonly UsageRow[],
  batchId: string = randomUUID(),
): Promise<void> {
  const values = rows.map(usageValues);
  const now = Date.now();
  return sql.transaction(async (tx) => {
    const first = await tx.run(
      "INSERT INTO usage_batches (id, written_ms) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
      [batchId, now],
    );
    if (first === 0) return;
    await tx.run("DELETE FROM usage_batches WHERE written_ms < ?", [now - BATCH_IDS_KEPT_MS]);
    await insertRows(tx, "usage", USAGE_COLUMNS, values);
  });
}

type SummarySqlRow = Omit<UsageSummaryRow, "costPartial"> & { costKnown: number };

/** Usage grouped by UTC day, provider and model, oldest day first. */
export async function queryUsage(sql: SqlClient, options: { since?: Date } = {}): Promise<UsageSummaryRow[]> {
  const sinceMs = options.since ? options.since.getTime() : Number.MIN_SAFE_INTEGER;
  const rows = await sql.all<SummarySqlRow>(summarySql(sql.dialect), [sinceMs]);
  return rows.map(({ costKnown, ...row }) => ({
    ...row,
    // Summing floats in SQL leaves binary noise (0.1 + 0.2); costs are kept to 1e-9 USD.
    costUsd: row.costUsd === null ? null : Math.round(row.costUsd * 1e9) / 1e9,
    costPartial: costKnown > 0 && costKnown < row.calls,
    avgLatencyMs: Math.round(row.avgLatencyMs),
  }));
}
