import assert from "node:assert/strict";
import { testEachBackend } from "../../test/support/test-each-backend.ts";

testEachBackend(
  "a stored response is read back and deleted by its owner only; another owner sees no such id",
  async ({ store: { responses: store } }) => {
    const stored = {
      input: [{ type: "message", role: "user", content: "Hi" }],
      response: { id: "resp_1", object: "response", output: [{ type: "message", content: [] }] },
    };
    await store.save("key-a", "resp_1", stored);
    assert.deepEqual(await store.get("key-a", "resp_1"), stored);
    assert.equal(await store.get("key-b", "resp_1"), undefined);
    assert.equal(await store.remove("key-b", "resp_1"), false);
    assert.equal(await store.remove("key-a", "resp_1"), true);
    assert.equal(await store.get("key-a", "resp_1"), undefined);
    assert.equal(await store.remove("key-a", "resp_1"), false);
  },
);

testEachBackend(
  "saves made together are committed together, each resolving once its row is there",
  async ({ store: { responses: store } }) => {
    const saves = Array.from({ length: 50 }, (_, i) =>
      store
        .save("key-a", `resp_${i}`, { input: [i], response: { output: [{ i }] } })
        .then(() => store.get("key-a", `resp_${i}`)),
    );
    const read = await Promise.all(saves);
    assert.deepEqual(
      read.map((stored) => stored?.input),
      Array.from({ length: 50 }, (_, i) => [i]),
    );
  },
);
