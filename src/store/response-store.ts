import type { SqlClient } from "./sql-client.ts";

/** A Responses API answer the gateway kept, with the conversation it answered. */
export interface StoredResponse {
  /** The input items it answered, earlier responses' included (instructions aside: they do not carry over). */
  input: unknown[];
  /** The Response object as the client got it. */
  response: { output: unknown[] } & Record<string, unknown>;
}

/**
 * Every call names the owner (a gateway key's id, or LOCAL_OWNER): another owner's id reads
 * exactly like an id that does not exist.
 */
export interface ResponseStore {
  save(owner: string, id: string, stored: StoredResponse): Promise<void>;
  get(owner: string, id: string): Promise<StoredResponse | undefined>;
  remove(owner: string, id: string): Promise<boolean>;
}

interface PendingSave {
  row: unknown[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The gateway's stored Responses (`store: true`), in the llmux store (SQLite or PostgreSQL).
 * Saves that arrive together (concurrent requests finishing in one turn of the event loop) are
 * written in one transaction: a commit per response was most of a busy gateway's cost of storing
 * them. Each save still resolves only once its row is committed.
 */
export function createResponseStore(sql: SqlClient): ResponseStore {
  let pending: PendingSave[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    sql
      .transaction(async (tx) => {
        for (const { row } of batch) {
          await tx.run(
            "INSERT INTO responses (id, owner, created_ms, input, response) VALUES (?, ?, ?, ?, ?)",
            row,
          );
        }
      })
      .then(
        () => {
          for (const save of batch) save.resolve();
        },
        (error: unknown) => {
          for (const save of batch) save.reject(error);
        },
      );
  };
  return {
    save(owner, id, stored) {
      return new Promise<void>((resolve, reject) => {
        const row = [id, owner, Date.now(), JSON.stringify(stored.input), JSON.stringify(stored.response)];
        pending.push({ row, resolve, reject });
        if (pending.length === 1) setImmediate(flush);
      });
    },
    async get(owner, id) {
      const [row] = await sql.all<{ input: string; response: string }>(
        "SELECT input, response FROM responses WHERE id = ? AND owner = ?",
        [id, owner],
      );
      return row && { input: JSON.parse(row.input), response: JSON.parse(row.response) };
    },
    remove: async (owner, id) =>
      (await sql.run("DELETE FROM responses WHERE id = ? AND owner = ?", [id, owner])) > 0,
  };
}
