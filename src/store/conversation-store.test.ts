import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type Database from "better-sqlite3";
import { type ConversationMessage, createConversationStore } from "./conversation-store.ts";
import { openDatabase } from "./open-database.ts";

let dir: string;
let file: string;
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmux-conversations-"));
  file = path.join(dir, "llmux.db");
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function message(role: "user" | "assistant", content: string, extra: Partial<ConversationMessage> = {}) {
  return {
    role,
    content,
    model: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    latencyMs: null,
    timeToFirstTokenMs: null,
    outcome: null,
    ...extra,
  } satisfies ConversationMessage;
}

test("a created conversation comes back with its settings and messages, and survives reopening", () => {
  const store = createConversationStore(db);
  const reply = message("assistant", "Hi!", {
    model: "openai:gpt-4.1-nano",
    inputTokens: 12,
    outputTokens: 3,
    costUsd: 0.0000024,
    latencyMs: 420,
    timeToFirstTokenMs: 90,
    outcome: "ok",
  });
  const created = store.create({
    title: "Greetings",
    model: "openai:gpt-4.1-nano",
    system: "Be brief",
    temperature: 0.3,
    messages: [message("user", "Hello"), reply],
  });
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  db.close();
  db = openDatabase(file);
  const again = createConversationStore(db).get(created.id);
  assert.ok(again);
  assert.equal(again.title, "Greetings");
  assert.equal(again.system, "Be brief");
  assert.equal(again.temperature, 0.3);
  assert.equal(again.messageCount, 2);
  assert.deepEqual(again.messages, [message("user", "Hello"), reply]);
});

test("an update replaces the messages, keeps unspecified settings and moves the conversation to the top", () => {
  const store = createConversationStore(db);
  const first = store.create({ title: "First", messages: [message("user", "a"), message("assistant", "b")] });
  const second = store.create({ title: "Second" });
  assert.deepEqual(
    store.list().map((c) => c.title),
    ["Second", "First"],
  );
  const updated = store.update(first.id, { messages: [message("user", "edited")] });
  assert.ok(updated);
  assert.equal(updated.title, "First");
  assert.deepEqual(
    updated.messages.map((m) => m.content),
    ["edited"],
  );
  assert.ok(updated.updatedAt > second.updatedAt);
  assert.deepEqual(
    store.list().map((c) => c.title),
    ["First", "Second"],
  );
  assert.equal(store.update("no-such-id", { title: "x" }), undefined);
});

test("a blank title falls back to the default", () => {
  const store = createConversationStore(db);
  const created = store.create({ title: "  " });
  assert.equal(created.title, "New conversation");
  assert.equal(store.update(created.id, { title: "Renamed" })?.title, "Renamed");
});

test("search matches titles and message text, case-insensitively, with % and _ taken literally", () => {
  const store = createConversationStore(db);
  store.create({ title: "Rust lifetimes" });
  store.create({ title: "Cooking", messages: [message("user", "How long to boil an EGG?")] });
  store.create({ title: "Discount", messages: [message("user", "What is 15% of 80?")] });
  assert.deepEqual(
    store.list({ query: "egg" }).map((c) => c.title),
    ["Cooking"],
  );
  assert.deepEqual(
    store.list({ query: "RUST" }).map((c) => c.title),
    ["Rust lifetimes"],
  );
  assert.deepEqual(
    store.list({ query: "15%" }).map((c) => c.title),
    ["Discount"],
  );
  assert.deepEqual(store.list({ query: "_" }), []);
});

test("removing a conversation removes its messages", () => {
  const store = createConversationStore(db);
  const created = store.create({ messages: [message("user", "bye")] });
  assert.equal(store.remove(created.id), true);
  assert.equal(store.get(created.id), undefined);
  assert.equal(store.remove(created.id), false);
  assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM conversation_messages").get(), { n: 0 });
});
