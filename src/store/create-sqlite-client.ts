import type Database from "better-sqlite3";
import type { SqlClient } from "./sql-client.ts";

/**
 * A SqlClient on one better-sqlite3 connection (opened by openDatabase). Statements run
 * synchronously; what is async is the order: a transaction spans awaits, so every call waits its
 * turn in one queue, or another request's statement would land inside someone else's transaction.
 */
export function createSqliteClient(db: Database.Database): SqlClient {
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T> | T): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  const direct: SqlClient = {
    dialect: "sqlite",
    all: async <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    transaction: (work) => work(direct),
    close: async () => undefined,
  };
  return {
    dialect: "sqlite",
    all: (sql, params) => inTurn(() => direct.all(sql, params)),
    run: (sql, params) => inTurn(() => direct.run(sql, params)),
    transaction: (work) =>
      inTurn(async () => {
        // IMMEDIATE takes the write lock first: another process cannot slip a write in between.
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(direct);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        }
      }),
    close: () =>
      inTurn(() => {
        db.close();
      }),
  };
}
