import { LlmuxError } from "../core/errors.ts";
import { insertRows } from "./insert-rows.ts";
import type { SqlClient } from "./sql-client.ts";

/**
 * What a store holds, parents before children, with the key pages are read in (by key, not by
 * offset: a usage log of millions of rows is read in one pass). Both stores have the same columns
 * (the same migrations), so rows are copied as they are read.
 */
const TABLES = [
  { name: "gateway_keys", label: "gateway keys", key: ["id"] },
  { name: "usage", label: "usage rows", key: ["id"] },
  { name: "conversations", label: "conversations", key: ["id"] },
  { name: "conversation_messages", label: "conversation messages", key: ["conversation_id", "position"] },
  { name: "responses", label: "stored responses", key: ["id"] },
] as const;

const PAGE_ROWS = 5000;

/**
 * Copies keys, usage, conversations and stored Responses from one store into another that holds
 * none of them, in one transaction on the target: it ends with everything copied or nothing.
 * `where` names the target in the refusal. Returns the rows copied per table label.
 */
export async function copyStore(
  source: SqlClient,
  target: SqlClient,
  where: string,
): Promise<Map<string, number>> {
  return target.transaction(async (tx) => {
    const held: string[] = [];
    for (const table of TABLES) {
      const [row] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.name}`);
      if (row!.n > 0) held.push(`${row!.n} ${table.label}`);
    }
    if (held.length > 0) {
      throw new LlmuxError("config", `The database ${where} is not empty (it holds ${held.join(", ")})`, {
        hint: "llmux db copy fills an empty database only: give --to a new one (createdb)",
      });
    }
    const copied = new Map<string, number>();
    for (const table of TABLES) {
      let count = 0;
      let after: unknown[] | undefined;
      const key = table.key.join(", ");
      for (;;) {
        const where = after ? `WHERE (${key}) > (${table.key.map(() => "?").join(", ")})` : "";
        const rows = await source.all<Record<string, unknown>>(
          `SELECT * FROM ${table.name} ${where} ORDER BY ${key} LIMIT ?`,
          [...(after ?? []), PAGE_ROWS],
        );
        const columns = Object.keys(rows[0] ?? {});
        await insertRows(
          tx,
          table.name,
          columns,
          rows.map((row) => columns.map((column) => row[column])),
        );
        count += rows.length;
        if (rows.length < PAGE_ROWS) break;
        const last = rows.at(-1)!;
        after = table.key.map((column) => last[column]);
      }
      copied.set(table.label, count);
    }
    // Usage ids were copied as they were: new rows continue after the last.
    if (target.dialect === "postgres") {
      await tx.all(
        "SELECT setval(pg_get_serial_sequence('usage', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM usage), false)",
      );
    }
    return copied;
  });
}
