import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { testEachBackend } from "../../test/support/test-each-backend.ts";
import { LlmuxError } from "../core/errors.ts";
import { createUsageWriter } from "./create-usage-writer.ts";
import type { SqlClient } from "./sql-client.ts";
import type { Store } from "./store.ts";
import type { UsageRow } from "./usage-log.ts";

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

// Counted through the store's own connection, which the writers under test do not use.
async function storedRows(store: Store): Promise<number> {
  return (await store.sql.all<{ n: number }>("SELECT COUNT(*) AS n FROM usage"))[0]!.n;
}

testEachBackend("rows wait in the buffer, then close writes them all", async ({ store }) => {
  const writer = createUsageWriter(store.sql, { flushMs: 60_000 });
  for (let i = 0; i < 3; i++) writer.record(row);
  await sleep(50);
  assert.equal(await storedRows(store), 0);
  assert.equal(writer.bufferedRows(), 3);
  await writer.close();
  assert.equal(await storedRows(store), 3);
  assert.equal(writer.bufferedRows(), 0);
  assert.throws(() => writer.record(row), LlmuxError);
});

testEachBackend("the timer writes without being asked", async ({ store }) => {
  const writer = createUsageWriter(store.sql, { flushMs: 20 });
  writer.record(row);
  assert.equal(await storedRows(store), 0);
  await sleep(300);
  assert.equal(await storedRows(store), 1);
  await writer.close();
});

testEachBackend("a full batch is written at once, without waiting for the timer", async ({ store }) => {
  const writer = createUsageWriter(store.sql, { flushMs: 60_000, batchRows: 4 });
  for (let i = 0; i < 3; i++) writer.record(row);
  await sleep(50);
  assert.equal(await storedRows(store), 0);
  writer.record(row);
  writer.record(row);
  await sleep(100);
  assert.equal(await storedRows(store), 5);
  await writer.close();
});

testEachBackend("10,000 rows land, in a few multi-row statements", async ({ store, backend, diagnostic }) => {
  const counted = countStatements(store.sql);
  const writer = createUsageWriter(counted.sql, { flushMs: 60_000 });
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) writer.record({ ...row, latencyMs: i });
  await writer.flush();
  const ms = performance.now() - started;
  diagnostic(
    `${backend}: 10,000 rows written in ${Math.round(ms)} ms (${Math.round(10_000 / (ms / 1000))} rows/s)`,
  );
  assert.equal(await storedRows(store), 10_000);
  const [sums] = await store.sql.all<{ total: number }>("SELECT SUM(latency_ms) AS total FROM usage");
  assert.equal(sums!.total, (9_999 * 10_000) / 2, "every row once");
  // Two batches of 5,000; with 13 columns an INSERT takes 2,307 rows (see insertRows), so each
  // batch is 3 of them and its id's insert and clean-up.
  assert.ok(counted.statements() <= 10, `${counted.statements()} statements`);
  await writer.close();
});

testEachBackend(
  "a row the database refuses is dropped alone, counted and logged; its batch's others are written",
  async ({ store }) => {
    const lines: string[] = [];
    const writer = createUsageWriter(store.sql, { flushMs: 10, log: (line) => lines.push(line) });
    for (let i = 0; i < 3; i++) writer.record(row);
    writer.record({ ...row, outcome: "bogus" as UsageRow["outcome"] });
    for (let i = 0; i < 2; i++) writer.record(row);
    await sleep(200);
    assert.equal(writer.droppedRows(), 1);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /dropped 1 usage rows/);
    assert.equal(await storedRows(store), 5);
    writer.record(row);
    await writer.flush();
    assert.equal(await storedRows(store), 6);
    await writer.close();
  },
);

testEachBackend(
  "PostgreSQL restarted mid-write: every recorded row is there afterwards, none twice",
  async ({ store, server, logs }) => {
    const writer = createUsageWriter(store.sql, {
      flushMs: 5,
      batchRows: 200,
      log: (line) => logs.push(line),
    });
    let recorded = 0;
    const record = async (rows: number) => {
      for (let i = 0; i < rows; i++) {
        writer.record({ ...row, latencyMs: recorded++ });
        if (i % 50 === 0) await sleep(1);
      }
    };
    await record(2000);
    const restarted = server!.restart();
    await record(3000);
    await restarted;
    await record(2000);
    await writer.close();
    assert.equal(await storedRows(store), recorded);
    const [{ distinct }] = (await store.sql.all<{ distinct: number }>(
      "SELECT COUNT(DISTINCT latency_ms) AS distinct FROM usage",
    )) as [{ distinct: number }];
    assert.equal(distinct, recorded);
    assert.equal(writer.droppedRows(), 0);
    assert.ok(
      logs.some((line) => /could not write usage rows/.test(line)),
      `the outage is logged: ${logs.join(" | ")}`,
    );
    assert.ok(
      logs.some((line) => /written to .* again/.test(line)),
      "and the recovery",
    );
  },
  ["postgres"],
);

testEachBackend(
  "with PostgreSQL down the buffer holds its bound: the oldest rows go, counted, with one log line",
  async ({ store, server, logs }) => {
    const writer = createUsageWriter(store.sql, {
      flushMs: 5,
      maxRows: 100,
      retryMs: 20,
      log: (line) => logs.push(line),
    });
    await server!.stop();
    try {
      for (let i = 0; i < 250; i++) writer.record({ ...row, latencyMs: i });
      await sleep(100);
      assert.equal(writer.bufferedRows(), 100);
      assert.equal(writer.droppedRows(), 150);
      assert.equal(logs.filter((line) => /buffer is full/.test(line)).length, 1);
    } finally {
      await server!.restart();
    }
    await writer.close();
    const [kept] = await store.sql.all<{ n: number; oldest: number }>(
      "SELECT COUNT(*) AS n, MIN(latency_ms) AS oldest FROM usage",
    );
    assert.deepEqual(kept, { n: 100, oldest: 150 }, "the newest 100 were kept");
  },
  ["postgres"],
);

testEachBackend(
  "a batch whose commit's answer was lost is retried, and not written twice",
  async ({ store }) => {
    // The real database, with the answer to the first commit lost as a cut connection loses it.
    let cut = true;
    const sql: SqlClient = {
      ...store.sql,
      transaction: async (work) => {
        const result = await store.sql.transaction(work);
        if (cut) {
          cut = false;
          throw new Error("Connection terminated unexpectedly");
        }
        return result;
      },
    };
    const writer = createUsageWriter(sql, { flushMs: 60_000, retryMs: 10 });
    for (let i = 0; i < 10; i++) writer.record({ ...row, latencyMs: i });
    await assert.rejects(writer.flush(), /Connection terminated/);
    assert.equal(writer.bufferedRows(), 10, "kept, as far as the writer knows");
    writer.record({ ...row, latencyMs: 10 });
    await writer.flush();
    assert.equal(writer.bufferedRows(), 0);
    assert.equal(await storedRows(store), 11);
    await writer.close();
  },
);

/** The client with its statements counted (transactions' included). */
function countStatements(sql: SqlClient): { sql: SqlClient; statements(): number } {
  let statements = 0;
  const wrap = (inner: SqlClient): SqlClient => ({
    ...inner,
    run: (text, params) => {
      statements++;
      return inner.run(text, params);
    },
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
  });
  return { sql: wrap(sql), statements: () => statements };
}
