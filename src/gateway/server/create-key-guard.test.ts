import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { testEachBackend } from "../../../test/support/test-each-backend.ts";
import { RequestError } from "../openai/request-error.ts";
import { createKeyGuard } from "./create-key-guard.ts";

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RequestError);
    return error.status;
  }
  return 200;
};

const settledStatus = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RequestError);
    return error.status;
  }
  return 200;
};

testEachBackend(
  "no keys: open; with keys: a valid bearer token is needed, and revoking the last one keeps it closed",
  async ({ store }) => {
    const guard = await createKeyGuard(store.keys);
    assert.equal(guard.authenticate({}), undefined);
    const { key, token } = await store.keys.create({ name: "a" });
    await guard.reload();
    assert.equal(
      status(() => guard.authenticate({})),
      401,
    );
    assert.equal(
      status(() => guard.authenticate({ authorization: "Bearer llmux_wrong" })),
      401,
    );
    assert.equal(guard.authenticate({ authorization: `Bearer ${token}` })?.id, key.id);
    await store.keys.revoke(key.id);
    await guard.reload();
    assert.equal(
      status(() => guard.authenticate({ authorization: `Bearer ${token}` })),
      401,
    );
    assert.equal(
      status(() => guard.authenticate({})),
      401,
    );
    assert.equal(guard.hasKeys(), true);
  },
);

testEachBackend(
  "allowlist (403), requests per minute and budget (429), with spend from the usage log",
  async ({ store }) => {
    const limited = (await store.keys.create({ models: ["openai:*", "fast"], rpm: 2, budgetUsd: 1 })).key;
    store.usage.record({
      time: new Date(),
      provider: "openai",
      model: "gpt-4.1",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0.6,
      latencyMs: 1,
      outcome: "ok",
      errorKind: null,
      source: "gateway",
      gatewayKeyId: limited.id,
    });
    await store.usage.flush();
    const guard = await createKeyGuard(store.keys);
    assert.equal(await settledStatus(guard.authorize(limited, ["anthropic:claude-haiku-4-5"])), 403);
    assert.equal(await settledStatus(guard.authorize(limited, ["fast", "openai:gpt-4.1-mini"])), 200);
    assert.equal(await settledStatus(guard.authorize(limited, ["openai:gpt-4.1"])), 200);
    assert.equal(await settledStatus(guard.authorize(limited, ["openai:gpt-4.1"])), 429);
    const spender = { ...limited, id: limited.id, rpm: null };
    assert.equal(
      await settledStatus(guard.reserve(spender, 0.5)),
      429,
      "0.6 spent (from the usage log) + 0.5 > 1",
    );
    (await guard.reserve(spender, 0.4)).settle(0.4);
    assert.equal(await settledStatus(guard.reserve(spender, 0.000001)), 429);
    assert.equal(await settledStatus(guard.reserve(spender, 0)), 200, "a free (local) model stays usable");
  },
);

testEachBackend(
  "a bearer token is read whatever the scheme's case and the spaces around it",
  async ({ store }) => {
    const { key, token } = await store.keys.create();
    const guard = await createKeyGuard(store.keys);
    for (const header of [`bearer ${token}`, `BEARER ${token}`, `Bearer   ${token} `, ` bEaReR ${token}`]) {
      assert.equal(guard.authenticate({ authorization: header })?.id, key.id, header);
    }
    for (const header of [token, `Basic ${token}`, `Bearer${token}`, `Bearer ${token} extra`]) {
      assert.equal(
        status(() => guard.authenticate({ authorization: header })),
        401,
        header,
      );
    }
  },
);

testEachBackend(
  "reservations: held until settled, then the real cost; none may take the key past its budget",
  async ({ store }) => {
    const { key } = await store.keys.create({ budgetUsd: 0.01 });
    const guard = await createKeyGuard(store.keys);
    const held = [await guard.reserve(key, 0.004), await guard.reserve(key, 0.004)];
    assert.equal(await settledStatus(guard.reserve(key, 0.004)), 429, "0.008 held + 0.004 > 0.01");
    held[0]!.settle(0.001);
    held[0]!.settle(0.001); // only the first settle counts
    assert.deepEqual(guard.balance(key.id), { spentUsd: 0.001, reservedUsd: 0.004 });
    const third = await guard.reserve(key, 0.005);
    assert.equal(await settledStatus(guard.reserve(key, 0.0001)), 429);
    third.settle(0);
    held[1]!.settle(0.002);
    assert.deepEqual(guard.balance(key.id), { spentUsd: 0.003, reservedUsd: 0 });
    const unlimited = (await store.keys.create()).key;
    (await guard.reserve(unlimited, 5)).settle(3);
    assert.equal(guard.balance(unlimited.id).spentUsd, 3);
  },
);

testEachBackend(
  "a key created or revoked through another connection (another replica, the CLI) counts within a second, read in the background",
  async ({ store, open }) => {
    const guard = await createKeyGuard(store.keys);
    const elsewhere = await open();
    try {
      const { key, token } = await elsewhere.keys.create({ name: "b" });
      const authenticated = () => status(() => guard.authenticate({ authorization: `Bearer ${token}` }));
      // A key now exists: until the guard reads it, its token is refused.
      await waitFor(() => guard.hasKeys() && authenticated() === 200);
      assert.equal(guard.authenticate({ authorization: `Bearer ${token}` })?.id, key.id);
      const revoked = performance.now();
      await elsewhere.keys.revoke(key.id);
      await waitFor(() => authenticated() === 401);
      assert.ok(
        performance.now() - revoked < 1000,
        `stopped after ${Math.round(performance.now() - revoked)} ms`,
      );
    } finally {
      guard.close();
    }
  },
);

async function waitFor(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!done()) {
    assert.ok(performance.now() < deadline, "not within 2 s");
    await sleep(10);
  }
}
