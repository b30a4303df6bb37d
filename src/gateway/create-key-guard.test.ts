import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { createGatewayKey, revokeGatewayKey } from "../store/gateway-keys.ts";
import { openDatabase } from "../store/open-database.ts";
import { recordUsage } from "../store/usage-log.ts";
import { createKeyGuard } from "./create-key-guard.ts";
import { RequestError } from "./request-error.ts";

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
  assert.equal(guard.authenticate(undefined), undefined);
  const { key, token } = createGatewayKey(db, { name: "a" });
  assert.equal(
    status(() => guard.authenticate(undefined)),
    401,
  );
  assert.equal(
    status(() => guard.authenticate("Bearer llmux_wrong")),
    401,
  );
  assert.equal(guard.authenticate(`Bearer ${token}`)?.id, key.id);
  revokeGatewayKey(db, key.id);
  assert.equal(
    status(() => guard.authenticate(`Bearer ${token}`)),
    401,
  );
  assert.equal(
    status(() => guard.authenticate(undefined)),
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
  guard.spend(limited.id, 0.5);
  assert.equal(
    status(() => guard.authorize(spender, ["openai:gpt-4.1"])),
    429,
  );
});
