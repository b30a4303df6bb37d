/**
 * Schema changes, oldest first, for SQLite and PostgreSQL alike. Entry N (0-based) takes the
 * database from version N to N+1 (SQLite's `user_version`, PostgreSQL's llmux_schema_version);
 * append new ones, never edit a released one. Written in SQLite's words; migratePostgres
 * translates the few types that differ. The summary cache's table (5) is made in both, and used
 * in SQLite only: the cache stays on each machine.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the usage log. No prompt, answer or key column, by design: the log says what was spent,
  // never what was said, and it must be safe to share.
  `CREATE TABLE usage (
    id INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'aborted')),
    error_kind TEXT,
    source TEXT NOT NULL CHECK (source IN ('cli', 'library', 'gateway')),
    gateway_key_id TEXT
  );
  CREATE INDEX usage_time ON usage (time_ms);`,
  // 2: the web UI's saved conversations. Unlike the usage log these hold what was said: they are
  // the user's own chats, kept so they survive a restart of `llmux serve`.
  `CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    model TEXT,
    system TEXT,
    temperature REAL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  CREATE INDEX conversations_updated ON conversations (updated_ms);
  CREATE TABLE conversation_messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    model TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    latency_ms INTEGER,
    ttft_ms INTEGER,
    outcome TEXT CHECK (outcome IN ('ok', 'aborted', 'error')),
    PRIMARY KEY (conversation_id, position)
  ) WITHOUT ROWID;`,
  // 3: gateway keys. Only the SHA-256 of a token is kept (the token is shown once, at creation);
  // `prefix` is its first characters, so people can tell their keys apart.
  `CREATE TABLE gateway_keys (
    id TEXT PRIMARY KEY,
    name TEXT,
    token_sha256 TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    models TEXT,
    rpm INTEGER CHECK (rpm > 0),
    budget_usd REAL CHECK (budget_usd >= 0),
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
  );
  CREATE INDEX usage_gateway_key ON usage (gateway_key_id) WHERE gateway_key_id IS NOT NULL;`,
  // 4: conversations belong to the gateway key that made them ("local user" without keys; the
  // ones saved before owners existed are the local user's), and a usage row says when its
  // counts are the gateway's estimate (a stream cut short before the provider reported usage).
  `ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT 'local user';
  CREATE INDEX conversations_owner ON conversations (owner, updated_ms);
  ALTER TABLE usage ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1));`,
  // 5: finished summaries, keyed on a hash of what they depend on (content, prompt, model,
  // length, language), so the same page is not paid for twice; `used_ms` orders LRU eviction.
  `CREATE TABLE summary_cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    used_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX summary_cache_used ON summary_cache (used_ms);`,
  // 6: the gateway's stored Responses (OpenAI Responses API, `store: true`), for
  // previous_response_id and GET /v1/responses/{id}. Like conversations they hold what was said,
  // and belong to the gateway key that made them.
  `CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    input TEXT NOT NULL,
    response TEXT NOT NULL
  );
  CREATE INDEX responses_owner ON responses (owner, created_ms);`,
  // 7: the usage batches written, by the id the writer gave each: a batch retried because the
  // answer to its COMMIT was lost (the connection cut at that moment) is recognised, not written
  // twice. Kept a day (see insertUsageRows).
  `CREATE TABLE usage_batches (
    id TEXT PRIMARY KEY,
    written_ms INTEGER NOT NULL
  );
  CREATE INDEX usage_batches_written ON usage_batches (written_ms);`,
  // 8: the gateway's response cache: a key may opt its requests in (`llmux keys create --cache`),
  // and a usage row says when its answer came from the cache (cost 0, the original token counts).
  `ALTER TABLE gateway_keys ADD COLUMN cache INTEGER NOT NULL DEFAULT 0 CHECK (cache IN (0, 1));
  ALTER TABLE usage ADD COLUMN cached INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1));`,
  // 9: a key's tokens per minute (`llmux keys create --tpm`); null = no limit.
  "ALTER TABLE gateway_keys ADD COLUMN tpm INTEGER",
];
