import type { SqlClient } from "./sql-client.ts";

// SQLite takes at most 32,766 parameters per statement, PostgreSQL 65,535: chunks stay under both.
const MAX_PARAMETERS = 30_000;

/**
 * Inserts rows (arrays of values in `columns` order) with multi-row INSERTs, in as few
 * statements as the parameter limits allow. Run it inside a transaction for all-or-nothing.
 */
export async function insertRows(
  sql: SqlClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await sql.run(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`,
      chunk.flat(),
    );
  }
}
