import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createServerProbe } from "./create-server-probe.ts";

test("a cache entry of the wrong shape is ignored and the server probed again", async () => {
  const cacheFile = join(mkdtempSync(join(tmpdir(), "llmux-probe-")), "probes.json");
  // Nothing listens on port 1, so a real probe answers "not running".
  const url = "http://127.0.0.1:1/api/tags";
  const now = Date.now();
  writeFileSync(cacheFile, JSON.stringify({ [url]: { at: now, status: 200, models: "not a list" } }));
  const probe = createServerProbe(cacheFile, () => now);
  const answer = await probe({ url, headers: {}, readModels: () => ["never"] });
  assert.deepEqual(answer, { status: null, models: null });
});
