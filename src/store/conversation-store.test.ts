import assert from "node:assert/strict";
import { conversationMessage } from "../../test/support/conversation-message.ts";
import { testEachBackend } from "../../test/support/test-each-backend.ts";
import { LOCAL_OWNER } from "./conversation-store.ts";

const ME = LOCAL_OWNER;

testEachBackend(
  "a created conversation comes back with its settings and messages, and survives reopening",
  async ({ store: { conversations: store }, open }) => {
    const reply = conversationMessage("assistant", "Hi!", {
      model: "openai:gpt-4.1-nano",
      inputTokens: 12,
      outputTokens: 3,
      costUsd: 0.0000024,
      latencyMs: 420,
      timeToFirstTokenMs: 90,
      outcome: "ok",
    });
    const created = await store.create(ME, {
      title: "Greetings",
      model: "openai:gpt-4.1-nano",
      system: "Be brief",
      temperature: 0.3,
      messages: [conversationMessage("user", "Hello"), reply],
    });
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    // Another connection (another replica, or a restarted gateway) reads it.
    const again = await (await open()).conversations.get(ME, created.id);
    assert.ok(again);
    assert.equal(again.title, "Greetings");
    assert.equal(again.system, "Be brief");
    assert.equal(again.temperature, 0.3);
    assert.equal(again.messageCount, 2);
    assert.deepEqual(again.messages, [conversationMessage("user", "Hello"), reply]);
  },
);

testEachBackend(
  "an update replaces the messages, keeps unspecified settings and moves the conversation to the top",
  async ({ store: { conversations: store } }) => {
    const first = await store.create(ME, {
      title: "First",
      messages: [conversationMessage("user", "a"), conversationMessage("assistant", "b")],
    });
    const second = await store.create(ME, { title: "Second" });
    assert.deepEqual(
      (await store.list(ME)).map((c) => c.title),
      ["Second", "First"],
    );
    const updated = await store.update(ME, first.id, { messages: [conversationMessage("user", "edited")] });
    assert.ok(updated);
    assert.equal(updated.title, "First");
    assert.deepEqual(
      updated.messages.map((m) => m.content),
      ["edited"],
    );
    assert.ok(updated.updatedAt > second.updatedAt);
    assert.deepEqual(
      (await store.list(ME)).map((c) => c.title),
      ["First", "Second"],
    );
    assert.equal(await store.update(ME, "no-such-id", { title: "x" }), undefined);
  },
);

testEachBackend("a blank title falls back to the default", async ({ store: { conversations: store } }) => {
  const created = await store.create(ME, { title: "  " });
  assert.equal(created.title, "New conversation");
  assert.equal((await store.update(ME, created.id, { title: "Renamed" }))?.title, "Renamed");
});

testEachBackend(
  "search matches titles and message text, case-insensitively, with % and _ taken literally",
  async ({ store: { conversations: store } }) => {
    await store.create(ME, { title: "Rust lifetimes" });
    await store.create(ME, {
      title: "Cooking",
      messages: [conversationMessage("user", "How long to boil an EGG?")],
    });
    await store.create(ME, {
      title: "Discount",
      messages: [conversationMessage("user", "What is 15% of 80?")],
    });
    assert.deepEqual(
      (await store.list(ME, { query: "egg" })).map((c) => c.title),
      ["Cooking"],
    );
    assert.deepEqual(
      (await store.list(ME, { query: "RUST" })).map((c) => c.title),
      ["Rust lifetimes"],
    );
    assert.deepEqual(
      (await store.list(ME, { query: "15%" })).map((c) => c.title),
      ["Discount"],
    );
    assert.deepEqual(await store.list(ME, { query: "_" }), []);
  },
);

testEachBackend(
  "removing a conversation removes its messages",
  async ({ store: { sql, conversations: store } }) => {
    const created = await store.create(ME, { messages: [conversationMessage("user", "bye")] });
    assert.equal(await store.remove(ME, created.id), true);
    assert.equal(await store.get(ME, created.id), undefined);
    assert.equal(await store.remove(ME, created.id), false);
    assert.deepEqual(await sql.all("SELECT COUNT(*) AS n FROM conversation_messages"), [{ n: 0 }]);
  },
);

testEachBackend(
  "an owner sees and changes only its own conversations; another's id reads as a missing one",
  async ({ store: { conversations: store } }) => {
    const mine = await store.create("key_a", {
      title: "Mine",
      messages: [conversationMessage("user", "secret plans")],
    });
    const theirs = await store.create("key_b", { title: "Theirs" });
    assert.deepEqual(
      (await store.list("key_a")).map((c) => c.title),
      ["Mine"],
    );
    assert.deepEqual(await store.list("key_b", { query: "secret" }), []);
    assert.equal(await store.get("key_b", mine.id), undefined);
    assert.equal(await store.update("key_b", mine.id, { title: "Taken" }), undefined);
    assert.equal(await store.remove("key_b", mine.id), false);
    assert.equal((await store.get("key_a", mine.id))?.title, "Mine");
    assert.equal((await store.get("key_a", mine.id))?.messages.length, 1);
    assert.equal(await store.remove("key_b", theirs.id), true);
  },
);

testEachBackend(
  "conversations saved before owners existed belong to the local user",
  async ({ store: { sql, conversations: store } }) => {
    await sql.run(
      "INSERT INTO conversations (id, title, model, system, temperature, created_ms, updated_ms) VALUES ('old', 'Old', NULL, NULL, NULL, 1, 1)",
    );
    assert.equal((await store.get(LOCAL_OWNER, "old"))?.title, "Old");
    assert.equal(await store.get("key_a", "old"), undefined);
  },
);
