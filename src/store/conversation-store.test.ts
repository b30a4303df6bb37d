import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type Database from "better-sqlite3";
import { type ConversationMessage, createConversationStore, LOCAL_OWNER } from "./conversation-store.ts";

const ME = LOCAL_OWNER;

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
  const created = store.create(ME, {
    title: "Greetings",
    model: "openai:gpt-4.1-nano",
    system: "Be brief",
    temperature: 0.3,
    messages: [message("user", "Hello"), reply],
  });
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  db.close();
  db = openDatabase(file);
  const again = createConversationStore(db).get(ME, created.id);
  assert.ok(again);
  assert.equal(again.title, "Greetings");
  assert.equal(again.system, "Be brief");
  assert.equal(again.temperature, 0.3);
  assert.equal(again.messageCount, 2);
  assert.deepEqual(again.messages, [message("user", "Hello"), reply]);
});

test("an update replaces the messages, keeps unspecified settings and moves the conversation to the top", () => {
  const store = createConversationStore(db);
  const first = store.create(ME, {
    title: "First",
    messages: [message("user", "a"), message("assistant", "b")],
  });
  const second = store.create(ME, { title: "Second" });
  assert.deepEqual(
    store.list(ME).map((c) => c.title),
    ["Second", "First"],
  );
  const updated = store.update(ME, first.id, { messages: [message("user", "edited")] });
  assert.ok(updated);
  assert.equal(updated.title, "First");
  assert.deepEqual(
    updated.messages.map((m) => m.content),
    ["edited"],
  );
  assert.ok(updated.updatedAt > second.updatedAt);
  assert.deepEqual(
    store.list(ME).map((c) => c.title),
    ["First", "Second"],
  );
  assert.equal(store.update(ME, "no-such-id", { title: "x" }), undefined);
});

test("a blank title falls back to the default", () => {
  const store = createConversationStore(db);
  const created = store.create(ME, { title: "  " });
  assert.equal(created.title, "New conversation");
  assert.equal(store.update(ME, created.id, { title: "Renamed" })?.title, "Renamed");
});

test("search matches titles and message text, case-insensitively, with % and _ taken literally", () => {
  const store = createConversationStore(db);
  store.create(ME, { title: "Rust lifetimes" });
  store.create(ME, { title: "Cooking", messages: [message("user", "How long to boil an EGG?")] });
  store.create(ME, { title: "Discount", messages: [message("user", "What is 15% of 80?")] });
  assert.deepEqual(
    store.list(ME, { query: "egg" }).map((c) => c.title),
    ["Cooking"],
  );
  assert.deepEqual(
    store.list(ME, { query: "RUST" }).map((c) => c.title),
    ["Rust lifetimes"],
  );
  assert.deepEqual(
    store.list(ME, { query: "15%" }).map((c) => c.title),
    ["Discount"],
  );
  assert.deepEqual(store.list(ME, { query: "_" }), []);
});

test("removing a conversation removes its messages", () => {
  const store = createConversationStore(db);
  const created = store.create(ME, { messages: [message("user", "bye")] });
  assert.equal(store.remove(ME, created.id), true);
  assert.equal(store.get(ME, created.id), undefined);
  assert.equal(store.remove(ME, created.id), false);
  assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM conversation_messages").get(), { n: 0 });
});

test("an owner sees and changes only its own conversations; another's id reads as a missing one", () => {
  const store = createConversationStore(db);
  const mine = store.create("key_a", { title: "Mine", messages: [message("user", "secret plans")] });
  const theirs = store.create("key_b", { title: "Theirs" });
  assert.deepEqual(
    store.list("key_a").map((c) => c.title),
    ["Mine"],
  );
  assert.deepEqual(store.list("key_b", { query: "secret" }), []);
  assert.equal(store.get("key_b", mine.id), undefined);
  assert.equal(store.update("key_b", mine.id, { title: "Taken" }), undefined);
  assert.equal(store.remove("key_b", mine.id), false);
  assert.equal(store.get("key_a", mine.id)?.title, "Mine");
  assert.equal(store.get("key_a", mine.id)?.messages.length, 1);
  assert.equal(store.remove("key_b", theirs.id), true);
});

test("conversations saved before owners existed belong to the local user", () => {
  db.prepare(
    "INSERT INTO conversations (id, title, model, system, temperature, created_ms, updated_ms) VALUES ('old', 'Old', NULL, NULL, NULL, 1, 1)",
  ).run();
  const store = createConversationStore(db);
  assert.equal(store.get(LOCAL_OWNER, "old")?.title, "Old");
  assert.equal(store.get("key_a", "old"), undefined);
});
