import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { openDatabase } from "./open-database.ts";
import { createResponseStore } from "./response-store.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmux-response-store-"));
const db = openDatabase(path.join(dir, "llmux.db"));
after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a stored response is read back and deleted by its owner only; another owner sees no such id", () => {
  const store = createResponseStore(db);
  const stored = {
    input: [{ type: "message", role: "user", content: "Hi" }],
    response: { id: "resp_1", object: "response", output: [{ type: "message", content: [] }] },
  };
  store.save("key-a", "resp_1", stored);
  assert.deepEqual(store.get("key-a", "resp_1"), stored);
  assert.equal(store.get("key-b", "resp_1"), undefined);
  assert.equal(store.remove("key-b", "resp_1"), false);
  assert.equal(store.remove("key-a", "resp_1"), true);
  assert.equal(store.get("key-a", "resp_1"), undefined);
  assert.equal(store.remove("key-a", "resp_1"), false);
});
