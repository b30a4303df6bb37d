import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type Database from "better-sqlite3";
import { openDatabase } from "./open-database.ts";
import { queryUsage, recordUsage, type UsageRow } from "./usage-log.ts";

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmux-usage-"));
  db = openDatabase(path.join(dir, "llmux.db"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function row(overrides: Partial<UsageRow>): UsageRow {
  return {
    time: new Date("2026-03-10T12:00:00Z"),
    provider: "openai",
    model: "gpt-4.1-mini",
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 0.1,
    latencyMs: 300,
    outcome: "ok",
    errorKind: null,
    source: "cli",
    gatewayKeyId: null,
    ...overrides,
  };
}

test("a recorded row comes back in the summary with its numbers", () => {
  recordUsage(db, row({ source: "gateway", gatewayKeyId: "key_1" }));
  assert.deepEqual(queryUsage(db), [
    {
      day: "2026-03-10",
      provider: "openai",
      model: "gpt-4.1-mini",
      calls: 1,
      errors: 0,
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.1,
      costPartial: false,
      avgLatencyMs: 300,
    },
  ]);
  const stored = db.prepare("SELECT source, gateway_key_id, outcome FROM usage").get();
  assert.deepEqual(stored, { source: "gateway", gateway_key_id: "key_1", outcome: "ok" });
});

test("rows are grouped by UTC day, provider and model", () => {
  recordUsage(db, row({ time: new Date("2026-03-10T00:30:00Z"), costUsd: 0.1, latencyMs: 100 }));
  // 23:30 in New York on the 10th is the 11th in UTC.
  recordUsage(db, row({ time: new Date("2026-03-10T23:30:00-04:00"), costUsd: 0.2 }));
  recordUsage(db, row({ time: new Date("2026-03-10T18:00:00Z"), costUsd: 0.2, latencyMs: 200 }));
  recordUsage(
    db,
    row({ time: new Date("2026-03-10T19:00:00Z"), outcome: "error", errorKind: "rate_limited", costUsd: 0 }),
  );
  recordUsage(
    db,
    row({ time: new Date("2026-03-10T19:00:00Z"), provider: "anthropic", model: "claude-haiku-4-5" }),
  );
  const summary = queryUsage(db);
  assert.deepEqual(
    summary.map((r) => [r.day, r.provider, r.model, r.calls, r.errors]),
    [
      ["2026-03-10", "anthropic", "claude-haiku-4-5", 1, 0],
      ["2026-03-10", "openai", "gpt-4.1-mini", 3, 1],
      ["2026-03-11", "openai", "gpt-4.1-mini", 1, 0],
    ],
  );
  const openaiDay = summary[1];
  assert.equal(openaiDay?.inputTokens, 300);
  assert.equal(openaiDay?.outputTokens, 60);
  // 0.1 + 0.2 + 0 without binary noise.
  assert.equal(openaiDay?.costUsd, 0.3);
  assert.equal(openaiDay?.avgLatencyMs, 200);
});

test("since keeps only calls at or after the given time", () => {
  recordUsage(db, row({ time: new Date("2026-03-01T10:00:00Z"), model: "old" }));
  recordUsage(db, row({ time: new Date("2026-03-05T10:00:00Z"), model: "new" }));
  assert.deepEqual(
    queryUsage(db, { since: new Date("2026-03-05T10:00:00Z") }).map((r) => r.model),
    ["new"],
  );
  assert.equal(queryUsage(db).length, 2);
});

test("unknown costs stay null; a mix of known and unknown is flagged partial", () => {
  recordUsage(db, row({ model: "unpriced", costUsd: null, inputTokens: null, outputTokens: null }));
  recordUsage(db, row({ model: "unpriced", costUsd: null, inputTokens: null, outputTokens: null }));
  recordUsage(db, row({ model: "mixed", costUsd: 0.25 }));
  recordUsage(db, row({ model: "mixed", costUsd: null }));
  const byModel = new Map(queryUsage(db).map((r) => [r.model, r]));
  const unpriced = byModel.get("unpriced");
  assert.equal(unpriced?.costUsd, null);
  assert.equal(unpriced?.costPartial, false);
  assert.equal(unpriced?.inputTokens, null);
  assert.equal(unpriced?.outputTokens, null);
  const mixed = byModel.get("mixed");
  assert.equal(mixed?.costUsd, 0.25);
  assert.equal(mixed?.costPartial, true);
});

test("the log has no column for prompts, answers or keys", () => {
  const columns = (db.prepare("PRAGMA table_info(usage)").all() as { name: string }[]).map((c) => c.name);
  for (const name of columns) assert.doesNotMatch(name, /prompt|answer|content|message|secret|api_key/);
});
