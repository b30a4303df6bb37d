import pg from "pg";
import type { SqlClient } from "./sql-client.ts";

/** BIGINT (COUNT, time_ms), NUMERIC (SUM and AVG of integers): numbers, as SQLite gives them. */
const NUMBER_TYPES = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    NUMBER_TYPES.has(oid) ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

interface PostgresClientOptions {
  /** Connections at most (default 10). */
  max?: number;
  /** Told once per outage about a connection the server dropped while idle (a restart). */
  onIdleError?: (error: Error) => void;
  /** pg_stat_activity's application_name of every connection (a gateway's: see warnPerReplicaLimits). */
  applicationName?: string;
}

/**
 * A SqlClient on a pg Pool. Placeholders are rewritten from `?` to `$n` (the stores' SQL has no
 * `?` elsewhere). A pool error (the server restarted and cut an idle connection) is handled: it
 * must never reach the process as an unhandled 'error' event.
 */
export function createPostgresClient(url: string, options: PostgresClientOptions = {}): SqlClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName,
    types,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    // An idle connection must not keep a finished CLI command running.
    allowExitOnIdle: true,
  });
  pool.on("error", (error) => options.onIdleError?.(error));
  const numbered = new Map<string, string>();
  const toPostgres = (sql: string) => {
    let text = numbered.get(sql);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      numbered.set(sql, text);
    }
    return text;
  };
  const on = (queryable: pg.Pool | pg.PoolClient): SqlClient => ({
    dialect: "postgres",
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await queryable.query(toPostgres(sql), params as unknown[])).rows as T[],
    run: async (sql, params = []) =>
      (await queryable.query(toPostgres(sql), params as unknown[])).rowCount ?? 0,
    transaction: (work) => transaction(work),
    close: () => pool.end(),
  });
  const transaction = async <T>(work: (tx: SqlClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // A connection cut while checked out is reported to its query; this keeps the event handled.
    const ignore = () => undefined;
    client.on("error", ignore);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work({ ...on(client), transaction: (inner) => inner(on(client)) });
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.off("error", ignore);
      // A connection that could not roll back is not given to the next caller.
      client.release(broken);
    }
  };
  return on(pool);
}
