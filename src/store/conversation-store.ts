import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";

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
  create(owner: string, patch: ConversationPatch): Conversation;
  /** Most recently updated first; `query` matches the title or any message text, case-insensitively. */
  list(owner: string, options?: { query?: string; limit?: number }): ConversationSummary[];
  get(owner: string, id: string): Conversation | undefined;
  /** Undefined when the owner has no conversation with that id. */
  update(owner: string, id: string, patch: ConversationPatch): Conversation | undefined;
  remove(owner: string, id: string): boolean;
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

/** Saved chats of the web UI, in the llmux database (the migration in open-database.ts makes the tables). */
export function createConversationStore(db: Database.Database): ConversationStore {
  const statements = {
    insert: db.prepare(
      "INSERT INTO conversations (id, owner, title, model, system, temperature, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    update: db.prepare(
      "UPDATE conversations SET title = ?, model = ?, system = ?, temperature = ?, updated_ms = ? WHERE id = ? AND owner = ?",
    ),
    get: db.prepare(`${SELECT_CONVERSATION} WHERE c.id = ? AND c.owner = ?`),
    messages: db.prepare(
      "SELECT role, content, model, input_tokens, output_tokens, cost_usd, latency_ms, ttft_ms, outcome FROM conversation_messages WHERE conversation_id = ? ORDER BY position",
    ),
    clearMessages: db.prepare("DELETE FROM conversation_messages WHERE conversation_id = ?"),
    insertMessage: db.prepare(
      `INSERT INTO conversation_messages
        (conversation_id, position, role, content, model, input_tokens, output_tokens, cost_usd, latency_ms, ttft_ms, outcome)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    remove: db.prepare("DELETE FROM conversations WHERE id = ? AND owner = ?"),
    latest: db.prepare("SELECT MAX(updated_ms) FROM conversations").pluck(),
  };

  // Strictly after every other conversation, so the one just saved heads the list even when two
  // saves fall in the same millisecond.
  const nextTimestamp = () => Math.max(Date.now(), ((statements.latest.get() as number | null) ?? 0) + 1);

  const replaceMessages = (id: string, messages: readonly ConversationMessage[]) => {
    statements.clearMessages.run(id);
    messages.forEach((m, position) => {
      statements.insertMessage.run(
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
      );
    });
  };

  const get = (owner: string, id: string): Conversation | undefined => {
    const row = statements.get.get(id, owner) as ConversationRow | undefined;
    if (!row) return undefined;
    const messages = (statements.messages.all(id) as MessageRow[]).map(toMessage);
    return { ...toSummary(row), messages };
  };

  const create = db.transaction((owner: string, patch: ConversationPatch): string => {
    const id = randomUUID();
    const now = nextTimestamp();
    statements.insert.run(
      id,
      owner,
      patch.title?.trim() || DEFAULT_TITLE,
      patch.model ?? null,
      patch.system ?? null,
      patch.temperature ?? null,
      now,
      now,
    );
    if (patch.messages) replaceMessages(id, patch.messages);
    return id;
  });

  const update = db.transaction((owner: string, id: string, patch: ConversationPatch): boolean => {
    const current = statements.get.get(id, owner) as ConversationRow | undefined;
    if (!current) return false;
    statements.update.run(
      patch.title === undefined ? current.title : patch.title.trim() || DEFAULT_TITLE,
      patch.model === undefined ? current.model : patch.model,
      patch.system === undefined ? current.system : patch.system,
      patch.temperature === undefined ? current.temperature : patch.temperature,
      nextTimestamp(),
      id,
      owner,
    );
    if (patch.messages) replaceMessages(id, patch.messages);
    return true;
  });

  return {
    create: (owner, patch) => get(owner, create(owner, patch))!,
    list: (owner, { query, limit = 200 } = {}) => {
      const trimmed = query?.trim();
      if (!trimmed) {
        const rows = db
          .prepare(`${SELECT_CONVERSATION} WHERE c.owner = ? ORDER BY c.updated_ms DESC LIMIT ?`)
          .all(owner, limit) as ConversationRow[];
        return rows.map(toSummary);
      }
      const pattern = `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = db
        .prepare(
          `${SELECT_CONVERSATION}
            WHERE c.owner = @owner
              AND (c.title LIKE @pattern ESCAPE '\\'
               OR EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id AND m.content LIKE @pattern ESCAPE '\\'))
            ORDER BY c.updated_ms DESC LIMIT @limit`,
        )
        .all({ owner, pattern, limit }) as ConversationRow[];
      return rows.map(toSummary);
    },
    get,
    update: (owner, id, patch) => (update(owner, id, patch) ? get(owner, id) : undefined),
    remove: (owner, id) => statements.remove.run(id, owner).changes > 0,
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
