/**
 * What the stores need from a database, the same for SQLite and PostgreSQL: SQL text with `?`
 * placeholders (written once, valid in both dialects unless a store asks `dialect`), rows back as
 * plain objects with numbers for numbers, and transactions. One implementation of each store sits
 * on top, so the two backends differ only in their driver and their migrations.
 */
export interface SqlClient {
  readonly dialect: "sqlite" | "postgres";
  /** The rows a query returns. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
