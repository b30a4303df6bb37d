import { randomUUID } from "node:crypto";
import { insertRows } from "./insert-rows.ts";
import type { SqlClient } from "./sql-client.ts";

/** One turn of a saved chat; the numbers describe the call that produced an assistant reply. */
export interface ConversationMessage {
  role: "user" | "assistant";
  content: string;
  /** `provider:model` that wrote an assistant reply. */
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** USD; null when unknown (unknown is never 0). */
  costUsd: number | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  /** How the reply ended; null for user messages. */
  outcome: "ok" | "aborted" | "error" | null;
}

interface ConversationSettings {
  title: string;
  model: string | null;
  system: string | null;
  temperature: number | null;
}

export interface ConversationSummary extends ConversationSettings {
  id: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

export interface Conversation extends ConversationSummary {
  messages: ConversationMessage[];
}

/** What a create or update may set; `messages` replaces the whole list (edit and regenerate truncate it). */
export type ConversationPatch = Partial<ConversationSettings> & { messages?: ConversationMessage[] };

/** Who owns the conversations made without a gateway key (and those saved before owners existed). */
export const LOCAL_OWNER = "local user";

/**
 * Every call names the owner: a gateway key's id, or LOCAL_OWNER. An owner never sees another's
 * conversations: another owner's id reads exactly like an id that does not exist.
 */
export interface ConversationStore {
  create(owner: string, patch: ConversationPatch): Promise<Conversation>;
  /** Most recently updated first; `query` matches the title or any message text, case-insensitively. */
  list(owner: string, options?: { query?: string; limit?: number }): Promise<ConversationSummary[]>;
  get(owner: string, id: string): Promise<Conversation | undefined>;
  /** Undefined when the owner has no conversation with that id. */
  update(owner: string, id: string, patch: ConversationPatch): Promise<Conversation | undefined>;
  remove(owner: string, id: string): Promise<boolean>;
}

interface ConversationRow {
  id: string;
  title: string;
  model: string | null;
  system: string | null;
  temperature: number | null;
  created_ms: number;
  updated_ms: number;
  message_count: number;
}

interface MessageRow {
  role: "user" | "assistant";
  content: string;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  outcome: ConversationMessage["outcome"];
}

const SELECT_CONVERSATION = `SELECT c.*, (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS message_count
  FROM conversations c`;

const DEFAULT_TITLE = "New conversation";

const SQL = {
  insert:
    "INSERT INTO conversations (id, owner, title, model, system, temperature, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  update:
    "UPDATE conversations SET title = ?, model = ?, system = ?, temperature = ?, updated_ms = ? WHERE id = ? AND owner = ?",
  get: `${SELECT_CONVERSATION} WHERE c.id = ? AND c.owner = ?`,
  messages:
    "SELECT role, content, model, input_tokens, output_tokens, cost_usd, latency_ms, ttft_ms, outcome FROM conversation_messages WHERE conversation_id = ? ORDER BY position",
  clearMessages: "DELETE FROM conversation_messages WHERE conversation_id = ?",
  remove: "DELETE FROM conversations WHERE id = ? AND owner = ?",
  latest: "SELECT MAX(updated_ms) AS latest FROM conversations",
  list: `${SELECT_CONVERSATION} WHERE c.owner = ? ORDER BY c.updated_ms DESC LIMIT ?`,
  // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's ignores none.
  search: `${SELECT_CONVERSATION}
    WHERE c.owner = ?
      AND (lower(c.title) LIKE lower(?) ESCAPE '\\'
       OR EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id AND lower(m.content) LIKE lower(?) ESCAPE '\\'))
    ORDER BY c.updated_ms DESC LIMIT ?`,
} as const;

const MESSAGE_COLUMNS = [
  "conversation_id",
  "position",
  "role",
  "content",
  "model",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "latency_ms",
  "ttft_ms",
  "outcome",
] as const;

/** Saved chats of the web UI, in the llmux store (SQLite or PostgreSQL: the migrations make the tables). */
export function createConversationStore(sql: SqlClient): ConversationStore {
  // Strictly after every other conversation, so the one just saved heads the list even when two
  // saves fall in the same millisecond.
  const nextTimestamp = async (tx: SqlClient) => {
    const [row] = await tx.all<{ latest: number | null }>(SQL.latest);
    return Math.max(Date.now(), (row?.latest ?? 0) + 1);
  };

  const replaceMessages = async (tx: SqlClient, id: string, messages: readonly ConversationMessage[]) => {
    await tx.run(SQL.clearMessages, [id]);
    const rows = messages.map((m, position) => [
      id,
      position,
      m.role,
      m.content,
      m.model,
      m.inputTokens,
      m.outputTokens,
      m.costUsd,
      m.latencyMs,
      m.timeToFirstTokenMs,
      m.outcome,
    ]);
    await insertRows(tx, "conversation_messages", MESSAGE_COLUMNS, rows);
  };

  const get = async (owner: string, id: string, tx: SqlClient = sql): Promise<Conversation | undefined> => {
    const [row] = await tx.all<ConversationRow>(SQL.get, [id, owner]);
    if (!row) return undefined;
    const messages = (await tx.all<MessageRow>(SQL.messages, [id])).map(toMessage);
    return { ...toSummary(row), messages };
  };

  return {
    create: (owner, patch) =>
      sql.transaction(async (tx) => {
        const id = randomUUID();
        const now = await nextTimestamp(tx);
        await tx.run(SQL.insert, [
          id,
          owner,
          patch.title?.trim() || DEFAULT_TITLE,
          patch.model ?? null,
          patch.system ?? null,
          patch.temperature ?? null,
          now,
          now,
        ]);
        if (patch.messages) await replaceMessages(tx, id, patch.messages);
        return (await get(owner, id, tx))!;
      }),
    list: async (owner, { query, limit = 200 } = {}) => {
      const trimmed = query?.trim();
      if (!trimmed) return (await sql.all<ConversationRow>(SQL.list, [owner, limit])).map(toSummary);
      const pattern = `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return (await sql.all<ConversationRow>(SQL.search, [owner, pattern, pattern, limit])).map(toSummary);
    },
    get: (owner, id) => get(owner, id),
    update: (owner, id, patch) =>
      sql.transaction(async (tx) => {
        const [current] = await tx.all<ConversationRow>(SQL.get, [id, owner]);
        if (!current) return undefined;
        await tx.run(SQL.update, [
          patch.title === undefined ? current.title : patch.title.trim() || DEFAULT_TITLE,
          patch.model === undefined ? current.model : patch.model,
          patch.system === undefined ? current.system : patch.system,
          patch.temperature === undefined ? current.temperature : patch.temperature,
          await nextTimestamp(tx),
          id,
          owner,
        ]);
        if (patch.messages) await replaceMessages(tx, id, patch.messages);
        return get(owner, id, tx);
      }),
    remove: async (owner, id) => (await sql.run(SQL.remove, [id, owner])) > 0,
  };
}

function toSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    system: row.system,
    temperature: row.temperature,
    createdAt: new Date(row.created_ms).toISOString(),
    updatedAt: new Date(row.updated_ms).toISOString(),
    messageCount: row.message_count,
  };
}

function toMessage(row: MessageRow): ConversationMessage {
  return {
    role: row.role,
    content: row.content,
    model: row.model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    timeToFirstTokenMs: row.ttft_ms,
    outcome: row.outcome,
  };
}
