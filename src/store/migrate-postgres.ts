import { MIGRATIONS } from "./migrations.ts";
import type { SqlClient } from "./sql-client.ts";

/** SQLite's words in MIGRATIONS, as PostgreSQL says them. */
const TRANSLATIONS: readonly [RegExp, string][] = [
  [/\bINTEGER PRIMARY KEY\b/g, "BIGSERIAL PRIMARY KEY"],
  [/\bINTEGER\b/g, "BIGINT"],
  [/\bREAL\b/g, "DOUBLE PRECISION"],
  [/\)\s*WITHOUT ROWID;/g, ");"],
];

function toPostgresDdl(sql: string): string {
  return TRANSLATIONS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), sql);
}

// Any fixed number, the same in every llmux: replicas starting together wait on it in turn.
const MIGRATION_LOCK = 0x6c6c6d78; // "llmx"

/**
 * Applies the pending migrations in one transaction under an advisory lock, so replicas starting
 * together apply each once (the others wait, then find nothing to do); DDL is transactional in
 * PostgreSQL, so a crash leaves the schema as it was. Returns the version found before; the
 * caller refuses one newer than MIGRATIONS knows (nothing is changed then).
 */
export async function migratePostgres(sql: SqlClient): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.all("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
    await tx.run("CREATE TABLE IF NOT EXISTS llmux_schema_version (version INTEGER NOT NULL)");
    const [row] = await tx.all<{ version: number }>("SELECT version FROM llmux_schema_version");
    if (!row) await tx.run("INSERT INTO llmux_schema_version (version) VALUES (0)");
    const found = row?.version ?? 0;
    if (found >= MIGRATIONS.length) return found;
    for (const migration of MIGRATIONS.slice(found)) await tx.run(toPostgresDdl(migration));
    await tx.run("UPDATE llmux_schema_version SET version = ?", [MIGRATIONS.length]);
    return found;
  });
}
