import assert from "node:assert/strict";
import { testEachBackend } from "../../test/support/test-each-backend.ts";
import type { Store } from "./store.ts";
import type { UsageRow } from "./usage-log.ts";

/** Records rows and waits until they are written, as `llmux usage` would then see them. */
async function record(store: Store, ...rows: UsageRow[]): Promise<void> {
  for (const row of rows) store.usage.record(row);
  await store.usage.flush();
}

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

testEachBackend("a recorded row comes back in the summary with its numbers", async ({ store }) => {
  await record(store, row({ source: "gateway", gatewayKeyId: "key_1" }));
  assert.deepEqual(await store.usage.query(), [
    {
      day: "2026-03-10",
      provider: "openai",
      model: "gpt-4.1-mini",
      calls: 1,
      errors: 0,
      cacheHits: 0,
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.1,
      costPartial: false,
      avgLatencyMs: 300,
    },
  ]);
  const stored = await store.sql.all("SELECT source, gateway_key_id, outcome FROM usage");
  assert.deepEqual(stored, [{ source: "gateway", gateway_key_id: "key_1", outcome: "ok" }]);
});

testEachBackend("rows are grouped by UTC day, provider and model", async ({ store }) => {
  await record(store, row({ time: new Date("2026-03-10T00:30:00Z"), costUsd: 0.1, latencyMs: 100 }));
  // 23:30 in New York on the 10th is the 11th in UTC.
  await record(store, row({ time: new Date("2026-03-10T23:30:00-04:00"), costUsd: 0.2 }));
  await record(store, row({ time: new Date("2026-03-10T18:00:00Z"), costUsd: 0.2, latencyMs: 200 }));
  await record(
    store,
    row({ time: new Date("2026-03-10T19:00:00Z"), outcome: "error", errorKind: "rate_limited", costUsd: 0 }),
  );
  await record(
    store,
    row({ time: new Date("2026-03-10T19:00:00Z"), provider: "anthropic", model: "claude-haiku-4-5" }),
  );
  const summary = await store.usage.query();
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

testEachBackend("since keeps only calls at or after the given time", async ({ store }) => {
  await record(store, row({ time: new Date("2026-03-01T10:00:00Z"), model: "old" }));
  await record(store, row({ time: new Date("2026-03-05T10:00:00Z"), model: "new" }));
  assert.deepEqual(
    (await store.usage.query({ since: new Date("2026-03-05T10:00:00Z") })).map((r) => r.model),
    ["new"],
  );
  assert.equal((await store.usage.query()).length, 2);
});

testEachBackend(
  "unknown costs stay null; a mix of known and unknown is flagged partial",
  async ({ store }) => {
    await record(store, row({ model: "unpriced", costUsd: null, inputTokens: null, outputTokens: null }));
    await record(store, row({ model: "unpriced", costUsd: null, inputTokens: null, outputTokens: null }));
    await record(store, row({ model: "mixed", costUsd: 0.25 }));
    await record(store, row({ model: "mixed", costUsd: null }));
    const byModel = new Map((await store.usage.query()).map((r) => [r.model, r]));
    const unpriced = byModel.get("unpriced");
    assert.equal(unpriced?.costUsd, null);
    assert.equal(unpriced?.costPartial, false);
    assert.equal(unpriced?.inputTokens, null);
    assert.equal(unpriced?.outputTokens, null);
    const mixed = byModel.get("mixed");
    assert.equal(mixed?.costUsd, 0.25);
    assert.equal(mixed?.costPartial, true);
  },
);

testEachBackend("the log has no column for prompts, answers or keys", async ({ store }) => {
  const columns = (
    await store.sql.all<{ name: string }>(
      store.backend === "sqlite"
        ? "SELECT name FROM pragma_table_info('usage')"
        : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'usage'",
    )
  ).map((c) => c.name);
  assert.ok(columns.includes("cost_usd"));
  for (const name of columns) assert.doesNotMatch(name, /prompt|answer|content|message|secret|api_key/);
});

testEachBackend(
  "the usage log has the indexes `llmux usage` and key spend read by: time and key",
  async ({ store }) => {
    const indexes = (
      await store.sql.all<{ name: string }>(
        store.backend === "sqlite"
          ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage'"
          : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'usage'",
      )
    ).map((i) => i.name);
    assert.ok(indexes.includes("usage_time") && indexes.includes("usage_gateway_key"), indexes.join(", "));
  },
);
