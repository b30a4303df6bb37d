import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { isLlmuxError } from "../core/errors.ts";
import { createGatewayKey, hashGatewayToken, listGatewayKeys, revokeGatewayKey } from "./gateway-keys.ts";
import { openDatabase } from "./open-database.ts";

test("a key is stored as the SHA-256 of its token, with its limits; revoking marks it", () => {
  const db = openDatabase(join(makeTempDir("llmux-gw-keys-"), "llmux.db"));
  const { key, token } = createGatewayKey(db, { name: "ci", models: ["openai:*"], rpm: 10, budgetUsd: 2.5 });
  assert.match(token, /^llmux_[A-Za-z0-9_-]{43}$/);
  const row = db.prepare("SELECT * FROM gateway_keys").get() as Record<string, unknown>;
  assert.equal(row.token_sha256, hashGatewayToken(token));
  assert.ok(!Object.values(row).some((v) => typeof v === "string" && v.includes(token.slice(10))));
  const [listed] = listGatewayKeys(db);
  assert.deepEqual(
    {
      id: listed!.id,
      name: listed!.name,
      prefix: listed!.prefix,
      models: listed!.models,
      rpm: listed!.rpm,
      budget: listed!.budgetUsd,
    },
    { id: key.id, name: "ci", prefix: token.slice(0, 10), models: ["openai:*"], rpm: 10, budget: 2.5 },
  );
  revokeGatewayKey(db, key.id);
  assert.ok(listGatewayKeys(db)[0]!.revokedAt instanceof Date);
  assert.throws(
    () => revokeGatewayKey(db, "key_missing"),
    (e) => isLlmuxError(e) && e.kind === "usage",
  );
});
