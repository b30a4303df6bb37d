import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { loadConfig } from "../core/load-config.ts";
import { createModelReadiness } from "./create-model-readiness.ts";
import { createProviderRegistry } from "./provider-registry.ts";

test("models are listed at the price a call would cost: the config's, else the catalog's with its date", async () => {
  const home = makeTempDir("llmux-readiness-");
  const contract = { inputPerMTok: 0.05, outputPerMTok: 0.2 };
  writeFileSync(join(home, "config.json"), JSON.stringify({ prices: { "openai:gpt-4.1-nano": contract } }));
  const registry = createProviderRegistry(loadConfig({ cwd: home, env: { LLMUX_HOME: home } }));
  const rows = await createModelReadiness(registry).list({ provider: "openai" });
  const nano = rows.find((row) => row.model === "gpt-4.1-nano");
  assert.deepEqual([nano?.pricing, nano?.pricesAsOf], [contract, null]);
  const mini = rows.find((row) => row.model === "gpt-4.1-mini");
  const catalog = findCatalogEntry("openai", "gpt-4.1-mini");
  assert.deepEqual([mini?.pricing, mini?.pricesAsOf], [catalog?.pricing, catalog?.pricesAsOf]);
});
