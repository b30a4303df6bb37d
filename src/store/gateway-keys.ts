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
  /** Tokens (input + output) per minute, checked when a request is admitted; null = no limit. */
  tpm: number | null;
  /** Spend limit in USD over the key's life; null = no limit. */
  budgetUsd: number | null;
  /** Its requests use the gateway's response cache, as if gateway.cache.enabled were set. */
  cache: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewGatewayKey {
  name?: string;
  models?: string[];
  rpm?: number;
  tpm?: number;
  budgetUsd?: number;
  cache?: boolean;
}

export interface KeyRow {
  id: string;
  name: string | null;
  prefix: string;
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  cache: number;
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

/** A new key, its one-time token, and its row's values in GATEWAY_KEY_SQL.insert's order. */
export function makeGatewayKey(options: NewGatewayKey = {}): {
  key: GatewayKey;
  token: string;
  values: unknown[];
} {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const key: GatewayKey = {
    id: `key_${randomBytes(6).toString("hex")}`,
    name: options.name ?? null,
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    models: options.models && options.models.length > 0 ? options.models : null,
    rpm: options.rpm ?? null,
    tpm: options.tpm ?? null,
    budgetUsd: options.budgetUsd ?? null,
    cache: options.cache ?? false,
    createdAt: new Date(),
    revokedAt: null,
  };
  const values = [
    key.id,
    key.name,
    hashGatewayToken(token),
    key.prefix,
    key.models ? JSON.stringify(key.models) : null,
    key.rpm,
    key.budgetUsd,
    key.cache ? 1 : 0,
    key.tpm,
    key.createdAt.getTime(),
  ];
  return { key, token, values };
}

/** The keys' SQL, valid in SQLite and PostgreSQL alike (see createKeyStore). */
export const GATEWAY_KEY_SQL = {
  insert: `INSERT INTO gateway_keys (id, name, token_sha256, prefix, models, rpm, budget_usd, cache, tpm, created_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  list: "SELECT * FROM gateway_keys ORDER BY created_ms, id",
  revokedAt: "SELECT revoked_ms FROM gateway_keys WHERE id = ?",
  revoke: "UPDATE gateway_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL",
  spend: `SELECT gateway_key_id AS id, SUM(cost_usd) AS spent FROM usage
       WHERE gateway_key_id IS NOT NULL GROUP BY gateway_key_id`,
} as const;

export function toGatewayKey(row: KeyRow): GatewayKey & { tokenSha256: string } {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    budgetUsd: row.budget_usd,
    cache: row.cache === 1,
    createdAt: new Date(row.created_ms),
    revokedAt: row.revoked_ms === null ? null : new Date(row.revoked_ms),
    tokenSha256: row.token_sha256,
  };
}

export function noSuchKey(id: string): LlmuxError {
  return new LlmuxError("usage", `No gateway key "${id}"`, { hint: "Run `llmux keys list` to see the ids" });
}

export function toSpendMap(rows: { id: string; spent: number | null }[]): Map<string, number> {
  return new Map(rows.map((row) => [row.id, row.spent ?? 0]));
}

// Synchronous forms on a SQLite connection, for tests' fixtures that set up a store before a
// gateway opens it (and read its spend after); everything else goes through createKeyStore.

/** Creates a key; the returned token exists nowhere else and cannot be shown again. */
export function createGatewayKey(
  db: Database.Database,
  options: NewGatewayKey = {},
): { key: GatewayKey; token: string } {
  const { key, token, values } = makeGatewayKey(options);
  db.prepare(GATEWAY_KEY_SQL.insert).run(...values);
  return { key, token };
}

/** USD spent so far per gateway key id, from the usage log (rows of unknown cost count as 0). */
export function readGatewayKeySpend(db: Database.Database): Map<string, number> {
  return toSpendMap(db.prepare(GATEWAY_KEY_SQL.spend).all() as { id: string; spent: number | null }[]);
}
