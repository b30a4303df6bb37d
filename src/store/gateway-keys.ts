import { createHash, randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";

/** A gateway key as stored: never the token, only its hash and first characters. */
export interface GatewayKey {
  id: string;
  name: string | null;
  /** The token's first characters, e.g. "llmux_3fQk", to tell keys apart. */
  prefix: string;
  /** Model references or names this key may use (`provider:*` for all of a provider's); null = any. */
  models: string[] | null;
  /** Requests per minute; null = no limit. */
  rpm: number | null;
  /** Spend limit in USD over the key's life; null = no limit. */
  budgetUsd: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewGatewayKey {
  name?: string;
  models?: string[];
  rpm?: number;
  budgetUsd?: number;
}

interface KeyRow {
  id: string;
  name: string | null;
  prefix: string;
  models: string | null;
  rpm: number | null;
  budget_usd: number | null;
  created_ms: number;
  revoked_ms: number | null;
  token_sha256: string;
}

const TOKEN_PREFIX = "llmux_";
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;

/** The SHA-256 (hex) of a token: what the database keeps and what requests are checked against. */
export function hashGatewayToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a key; the returned token exists nowhere else and cannot be shown again. */
export function createGatewayKey(
  db: Database.Database,
  options: NewGatewayKey = {},
): { key: GatewayKey; token: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const key: GatewayKey = {
    id: `key_${randomBytes(6).toString("hex")}`,
    name: options.name ?? null,
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    models: options.models && options.models.length > 0 ? options.models : null,
    rpm: options.rpm ?? null,
    budgetUsd: options.budgetUsd ?? null,
    createdAt: new Date(),
    revokedAt: null,
  };
  db.prepare(
    `INSERT INTO gateway_keys (id, name, token_sha256, prefix, models, rpm, budget_usd, created_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    key.id,
    key.name,
    hashGatewayToken(token),
    key.prefix,
    key.models ? JSON.stringify(key.models) : null,
    key.rpm,
    key.budgetUsd,
    key.createdAt.getTime(),
  );
  return { key, token };
}

/** Every key, revoked ones included, oldest first; `tokenSha256` is for the gateway's lookup. */
export function listGatewayKeys(db: Database.Database): (GatewayKey & { tokenSha256: string })[] {
  const rows = db.prepare("SELECT * FROM gateway_keys ORDER BY created_ms, id").all() as KeyRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    budgetUsd: row.budget_usd,
    createdAt: new Date(row.created_ms),
    revokedAt: row.revoked_ms === null ? null : new Date(row.revoked_ms),
    tokenSha256: row.token_sha256,
  }));
}

/** Revokes a key at once (the gateway re-reads keys within a second). */
export function revokeGatewayKey(db: Database.Database, id: string): void {
  const found = db.prepare("SELECT revoked_ms FROM gateway_keys WHERE id = ?").get(id) as
    | { revoked_ms: number | null }
    | undefined;
  if (!found) {
    throw new LlmuxError("usage", `No gateway key "${id}"`, { hint: "Run `llmux keys list` to see the ids" });
  }
  if (found.revoked_ms === null) {
    db.prepare("UPDATE gateway_keys SET revoked_ms = ? WHERE id = ?").run(Date.now(), id);
  }
}

/** USD spent so far per gateway key id, from the usage log (rows of unknown cost count as 0). */
export function readGatewayKeySpend(db: Database.Database): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT gateway_key_id AS id, SUM(cost_usd) AS spent FROM usage
       WHERE gateway_key_id IS NOT NULL GROUP BY gateway_key_id`,
    )
    .all() as { id: string; spent: number | null }[];
  return new Map(rows.map((row) => [row.id, row.spent ?? 0]));
}
