import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { loadConfig } from "../core/load-config.ts";
import { listModels } from "./list-models.ts";
import { createProviderRegistry } from "./provider-registry.ts";

function registryWith(config: Record<string, unknown>, env: Record<string, string> = {}) {
  const home = makeTempDir("llmux-list-models-");
  writeFileSync(join(home, "config.json"), JSON.stringify(config));
  return createProviderRegistry(loadConfig({ cwd: home, env: { LLMUX_HOME: home, HOME: home, ...env } }));
}

test("models are listed at the price a call would cost: the config's, else the catalog's with its date", async () => {
  const contract = { inputPerMTok: 0.05, outputPerMTok: 0.2 };
  const registry = registryWith({ prices: { "openai:gpt-4.1-nano": contract } });
  const { models } = await listModels(registry, { provider: "openai" });
  const nano = models.find((row) => row.model === "gpt-4.1-nano");
  assert.deepEqual([nano?.pricing, nano?.pricesAsOf], [contract, null]);
  const mini = models.find((row) => row.model === "gpt-4.1-mini");
  const catalog = findCatalogEntry("openai", "gpt-4.1-mini");
  assert.deepEqual([mini?.pricing, mini?.pricesAsOf], [catalog?.pricing, catalog?.pricesAsOf]);
});

test("a local catalog model not downloaded says its download size, and costs nothing per token", async () => {
  const { models } = await listModels(registryWith({}), { provider: "local" });
  const local = models.find((row) => row.reference === "local:llama3.2:1b");
  assert.equal(local?.reason, "not downloaded");
  assert.equal(local?.downloadBytes, findCatalogEntry("local", "llama3.2:1b")?.gguf?.sizeBytes);
  assert.equal(local?.pricing?.inputPerMTok, 0, "a model on this machine is free per token");
});

test("aliases lead to models with their status; the default has its row even outside the catalog", async () => {
  const registry = registryWith(
    {
      aliases: { fast: "openai:gpt-4.1-nano", loop: "loop", nowhere: "no-such-model" },
      defaultModel: "openai:my-fine-tune",
    },
    { OPENAI_API_KEY: "sk-test" },
  );
  const { aliases, defaultModel } = await listModels(registry, { provider: "openai" });
  assert.deepEqual(aliases, [{ alias: "fast", reference: "openai:gpt-4.1-nano", ready: true, reason: null }]);
  assert.equal(defaultModel.reference, "openai:my-fine-tune");
  assert.deepEqual(
    [defaultModel.model?.name, defaultModel.model?.ready, defaultModel.model?.pricing],
    ["my-fine-tune", true, null],
  );
});
