import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../../test/support/make-temp-dir.ts";
import { createGatewayKey, revokeGatewayKey } from "../../store/gateway-keys.ts";
import { openDatabase } from "../../store/open-database.ts";
import { recordUsage } from "../../store/usage-log.ts";
import { RequestError } from "../openai/request-error.ts";
import { createKeyGuard } from "./create-key-guard.ts";

const tempDb = () => openDatabase(join(makeTempDir("llmux-keys-"), "llmux.db"));
const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RequestError);
    return error.status;
  }
  return 200;
};

test("no keys: open; with keys: a valid bearer token is needed, and revoking the last one keeps it closed", () => {
  const db = tempDb();
  const guard = createKeyGuard(db, { reloadMs: 0 });
  assert.equal(guard.authenticate({}), undefined);
  const { key, token } = createGatewayKey(db, { name: "a" });
  assert.equal(
    status(() => guard.authenticate({})),
    401,
  );
  assert.equal(
    status(() => guard.authenticate({ authorization: "Bearer llmux_wrong" })),
    401,
  );
  assert.equal(guard.authenticate({ authorization: `Bearer ${token}` })?.id, key.id);
  revokeGatewayKey(db, key.id);
  assert.equal(
    status(() => guard.authenticate({ authorization: `Bearer ${token}` })),
    401,
  );
  assert.equal(
    status(() => guard.authenticate({})),
    401,
  );
  assert.equal(guard.hasKeys(), true);
});

test("allowlist (403), requests per minute and budget (429), with spend from the usage log", () => {
  const db = tempDb();
  const limited = createGatewayKey(db, { models: ["openai:*", "fast"], rpm: 2, budgetUsd: 1 }).key;
  recordUsage(db, {
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
  const guard = createKeyGuard(db);
  assert.equal(
    status(() => guard.authorize(limited, ["anthropic:claude-haiku-4-5"])),
    403,
  );
  assert.equal(
    status(() => guard.authorize(limited, ["fast", "openai:gpt-4.1-mini"])),
    200,
  );
  assert.equal(
    status(() => guard.authorize(limited, ["openai:gpt-4.1"])),
    200,
  );
  assert.equal(
    status(() => guard.authorize(limited, ["openai:gpt-4.1"])),
    429,
  );
  const spender = { ...limited, id: limited.id, rpm: null };
  assert.equal(
    status(() => guard.reserve(spender, 0.5)),
    429,
    "0.6 spent (from the usage log) + 0.5 > 1",
  );
  guard.reserve(spender, 0.4).settle(0.4);
  assert.equal(
    status(() => guard.reserve(spender, 0.000001)),
    429,
  );
  assert.equal(
    status(() => guard.reserve(spender, 0)),
    200,
    "a free (local) model stays usable",
  );
});

test("a bearer token is read whatever the scheme's case and the spaces around it", () => {
  const db = tempDb();
  const guard = createKeyGuard(db, { reloadMs: 0 });
  const { key, token } = createGatewayKey(db);
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
});

test("reservations: held until settled, then the real cost; none may take the key past its budget", () => {
  const db = tempDb();
  const { key } = createGatewayKey(db, { budgetUsd: 0.01 });
  const guard = createKeyGuard(db);
  const held = [guard.reserve(key, 0.004), guard.reserve(key, 0.004)];
  assert.equal(
    status(() => guard.reserve(key, 0.004)),
    429,
    "0.008 held + 0.004 > 0.01",
  );
  held[0]!.settle(0.001);
  held[0]!.settle(0.001); // only the first settle counts
  assert.deepEqual(guard.balance(key.id), { spentUsd: 0.001, reservedUsd: 0.004 });
  const third = guard.reserve(key, 0.005);
  assert.equal(
    status(() => guard.reserve(key, 0.0001)),
    429,
  );
  third.settle(0);
  held[1]!.settle(0.002);
  assert.deepEqual(guard.balance(key.id), { spentUsd: 0.003, reservedUsd: 0 });
  const unlimited = createGatewayKey(db).key;
  guard.reserve(unlimited, 5).settle(3);
  assert.equal(guard.balance(unlimited.id).spentUsd, 3);
});
