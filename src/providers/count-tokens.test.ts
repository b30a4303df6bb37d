import assert from "node:assert/strict";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { loadConfig } from "../core/load-config.ts";
import { countTokens } from "./count-tokens.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import { createProviderRegistry } from "./provider-registry.ts";
import { resolveModelLimits } from "./resolve-model-limits.ts";

const home = makeTempDir("llmux-count-");
const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home } });
const registry = createProviderRegistry(config);
const TEXT = "Token counts, 東京 and Zürich: `llmux tokens` and summaries must agree.";

test("OpenAI's models are counted exactly in their encoding; other makers' are estimated", async () => {
  const gpt4o = await countTokens(registry.resolve("openai:gpt-4o"), TEXT, config);
  assert.equal(gpt4o.tokenizer, "o200k_base");
  assert.equal(gpt4o.exact, true);
  assert.equal(gpt4o.pieces?.join(""), TEXT);
  assert.equal((await countTokens(registry.resolve("openai:gpt-4"), TEXT, config)).tokenizer, "cl100k_base");
  const claude = await countTokens(registry.resolve("anthropic:claude-sonnet-4-5"), TEXT, config);
  assert.deepEqual(claude, { tokenizer: "estimate", exact: false, count: estimateTokens(TEXT) });
});

test("`llmux tokens` and a summary's limits count the same text alike", async () => {
  for (const reference of [
    "openai:gpt-4.1-nano",
    "openrouter:openai/gpt-4o",
    "azure:my-deployment",
    "mistral:mistral-large-latest",
    "ollama:llama3.2:1b",
  ]) {
    const resolved = registry.resolve(reference);
    const counted = await countTokens(resolved, TEXT, config);
    const limits = await resolveModelLimits(resolved, config);
    assert.equal(limits.tokenizer, counted.tokenizer, reference);
    assert.equal(limits.countTokens(TEXT), counted.count, reference);
  }
});
