import type Database from "better-sqlite3";

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
  save(owner: string, id: string, stored: StoredResponse): void;
  get(owner: string, id: string): StoredResponse | undefined;
  remove(owner: string, id: string): boolean;
}

/** The gateway's stored Responses (`store: true`), in the llmux database (see open-database.ts). */
export function createResponseStore(db: Database.Database): ResponseStore {
  const statements = {
    insert: db.prepare(
      "INSERT INTO responses (id, owner, created_ms, input, response) VALUES (?, ?, ?, ?, ?)",
    ),
    get: db.prepare("SELECT input, response FROM responses WHERE id = ? AND owner = ?"),
    remove: db.prepare("DELETE FROM responses WHERE id = ? AND owner = ?"),
  };
  return {
    save(owner, id, stored) {
      statements.insert.run(
        id,
        owner,
        Date.now(),
        JSON.stringify(stored.input),
        JSON.stringify(stored.response),
      );
    },
    get(owner, id) {
      const row = statements.get.get(id, owner) as { input: string; response: string } | undefined;
      return row && { input: JSON.parse(row.input), response: JSON.parse(row.response) };
    },
    remove: (owner, id) => statements.remove.run(id, owner).changes > 0,
  };
}
