import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { createSummaryCache } from "./create-summary-cache.ts";
import { openDatabase } from "./open-database.ts";

const open = (maxBytes: number) => {
  const db = openDatabase(join(makeTempDir("llmux-summary-cache-"), "llmux.db"));
  return { db, cache: createSummaryCache(db, { maxBytes }) };
};
/** An entry of `bytes` bytes, key included (keys here are 2 bytes). */
const value = (bytes: number) => "x".repeat(bytes - 2);

test("what is written is read back, and survives reopening the database", () => {
  const { db, cache } = open(1000);
  cache.set("k1", "the summary");
  assert.equal(cache.get("k1"), "the summary");
  assert.equal(cache.get("k2"), undefined);
  cache.set("k1", "written again");
  assert.deepEqual(cache.stats(), { entries: 1, bytes: 15, maxBytes: 1000 });
  const again = createSummaryCache(openDatabase(db.name), { maxBytes: 1000 });
  assert.equal(again.get("k1"), "written again");
});

test("past its bound the least recently used entries go, not the oldest written", () => {
  const { cache } = open(300);
  cache.set("k1", value(100));
  cache.set("k2", value(100));
  cache.set("k3", value(100));
  assert.ok(cache.get("k1"), "k1 is used, so k2 is now the least recently used");
  cache.set("k4", value(100));
  assert.equal(cache.get("k2"), undefined);
  for (const key of ["k1", "k3", "k4"]) assert.ok(cache.get(key), key);
  assert.deepEqual(cache.stats(), { entries: 3, bytes: 300, maxBytes: 300 });
  cache.set("k5", value(250));
  assert.deepEqual(cache.stats(), { entries: 1, bytes: 250, maxBytes: 300 });
  assert.ok(cache.get("k5"));
});

test("an entry larger than the whole bound is not kept, and evicts nothing", () => {
  const { cache } = open(300);
  cache.set("k1", value(100));
  cache.set("k2", value(301));
  assert.equal(cache.get("k2"), undefined);
  assert.ok(cache.get("k1"));
});

test("clear removes every entry and says how many", () => {
  const { cache } = open(1000);
  cache.set("k1", "a");
  cache.set("k2", "b");
  assert.equal(cache.clear(), 2);
  assert.equal(cache.get("k1"), undefined);
  assert.deepEqual(cache.stats(), { entries: 0, bytes: 0, maxBytes: 1000 });
});
