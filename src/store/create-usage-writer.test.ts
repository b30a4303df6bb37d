import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type Database from "better-sqlite3";
import { LlmuxError } from "../core/errors.ts";
import { createUsageWriter } from "./create-usage-writer.ts";
import { openDatabase } from "./open-database.ts";
import type { UsageRow } from "./usage-log.ts";

let dir: string;
let file: string;
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmux-writer-"));
  file = path.join(dir, "llmux.db");
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const row: UsageRow = {
  time: new Date("2026-03-10T12:00:00Z"),
  provider: "groq",
  model: "llama-3.1-8b-instant",
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.000001,
  latencyMs: 40,
  outcome: "ok",
  errorKind: null,
  source: "gateway",
  gatewayKeyId: "key_a",
};

// Counted through a second connection, as another process (the CLI) would see it.
function storedRows(): number {
  const reader = openDatabase(file);
  try {
    return (reader.prepare("SELECT COUNT(*) AS n FROM usage").get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

test("rows wait in the buffer, then close writes them all", () => {
  const writer = createUsageWriter(db, { flushMs: 60_000 });
  writer.record(row);
  writer.record(row);
  writer.record(row);
  assert.equal(storedRows(), 0);
  writer.close();
  assert.equal(storedRows(), 3);
  assert.throws(() => writer.record(row), LlmuxError);
});

test("the timer flushes without being asked", async () => {
  const writer = createUsageWriter(db, { flushMs: 20 });
  writer.record(row);
  assert.equal(storedRows(), 0);
  await sleep(150);
  assert.equal(storedRows(), 1);
  writer.close();
});

test("a full batch is written at once", () => {
  const writer = createUsageWriter(db, { flushMs: 60_000, maxBatch: 4 });
  for (let i = 0; i < 5; i++) writer.record(row);
  assert.equal(storedRows(), 4);
  writer.flush();
  assert.equal(storedRows(), 5);
  writer.close();
});

test("a failed timed flush is reported, not thrown into the event loop", async () => {
  const errors: unknown[] = [];
  const writer = createUsageWriter(db, { flushMs: 10, onError: (error) => errors.push(error) });
  writer.record({ ...row, outcome: "bogus" as UsageRow["outcome"] });
  await sleep(100);
  assert.equal(errors.length, 1);
  assert.equal(storedRows(), 0);
  writer.close();
});
