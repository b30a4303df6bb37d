import assert from "node:assert/strict";
import { testEachBackend } from "../../test/support/test-each-backend.ts";
import { isLlmuxError } from "../core/errors.ts";
import { hashGatewayToken } from "./gateway-keys.ts";

testEachBackend(
  "a key is stored as the SHA-256 of its token, with its limits; revoking marks it",
  async ({ store }) => {
    const { key, token } = await store.keys.create({
      name: "ci",
      models: ["openai:*"],
      rpm: 10,
      tpm: 5000,
      budgetUsd: 2.5,
    });
    assert.match(token, /^llmux_[A-Za-z0-9_-]{43}$/);
    const [row] = await store.sql.all<Record<string, unknown>>("SELECT * FROM gateway_keys");
    assert.equal(row!.token_sha256, hashGatewayToken(token));
    assert.ok(!Object.values(row!).some((v) => typeof v === "string" && v.includes(token.slice(10))));
    const [listed] = await store.keys.list();
    assert.deepEqual(
      {
        id: listed!.id,
        name: listed!.name,
        prefix: listed!.prefix,
        models: listed!.models,
        rpm: listed!.rpm,
        tpm: listed!.tpm,
        budget: listed!.budgetUsd,
        created: listed!.createdAt.getTime(),
      },
      {
        id: key.id,
        name: "ci",
        prefix: token.slice(0, 10),
        models: ["openai:*"],
        rpm: 10,
        tpm: 5000,
        budget: 2.5,
        created: key.createdAt.getTime(),
      },
    );
    await store.keys.revoke(key.id);
    const revokedAt = (await store.keys.list())[0]!.revokedAt;
    assert.ok(revokedAt instanceof Date);
    // Revoking again keeps the first time.
    await store.keys.revoke(key.id);
    assert.equal((await store.keys.list())[0]!.revokedAt?.getTime(), revokedAt.getTime());
    await assert.rejects(store.keys.revoke("key_missing"), (e) => isLlmuxError(e) && e.kind === "usage");
  },
);

testEachBackend("a key's spend is the sum of its usage rows' known costs", async ({ store }) => {
  const { key } = await store.keys.create();
  const row = {
    time: new Date(),
    provider: "openai",
    model: "gpt-4.1",
    inputTokens: 1,
    outputTokens: 1,
    latencyMs: 1,
    outcome: "ok" as const,
    errorKind: null,
    source: "gateway" as const,
  };
  for (const costUsd of [0.25, 0.5, null]) store.usage.record({ ...row, costUsd, gatewayKeyId: key.id });
  store.usage.record({ ...row, costUsd: 9, gatewayKeyId: null });
  await store.usage.flush();
  assert.deepEqual(await store.keys.spend(), new Map([[key.id, 0.75]]));
});
