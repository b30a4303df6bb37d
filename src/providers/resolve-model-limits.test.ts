import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { loadConfig } from "../core/load-config.ts";
import { localEngine } from "../local/local-engine.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import { createProviderRegistry } from "./provider-registry.ts";
import { DEFAULT_CONTEXT_WINDOW, resolveModelLimits } from "./resolve-model-limits.ts";

after(() => localEngine.dispose());

function setup(env: Record<string, string> = {}, file?: object) {
  const home = makeTempDir("llmux-limits-");
  if (file) writeFileSync(join(home, "config.json"), JSON.stringify(file));
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, LLMUX_THREADS: "1", ...env } });
  const registry = createProviderRegistry(config);
  return (reference: string) => resolveModelLimits(registry.resolve(reference), config);
}

const SAMPLE = "Summaries need token counts that match the model's own tokenizer.";

test("OpenAI models: the catalog's context and OpenAI's tokenizer", async () => {
  const limits = await setup()("openai:gpt-4.1-nano");
  assert.equal(limits.contextWindow, 1_047_576);
  assert.equal(limits.tokenizer, "o200k_base");
  assert.equal(limits.countTokens(SAMPLE), countTokens(SAMPLE));
  assert.equal(limits.capOutput, false);
  assert.equal(limits.concurrency, 4);
});

test("OpenAI's models wherever they are served, in the encoding their id names", async () => {
  const resolve = setup();
  assert.equal((await resolve("openai:gpt-4")).tokenizer, "cl100k_base");
  assert.equal((await resolve("openrouter:openai/gpt-4o")).tokenizer, "o200k_base");
  assert.equal((await resolve("azure:my-deployment")).tokenizer, "o200k_base");
  assert.equal((await resolve("openrouter:meta-llama/llama-3.1-8b")).tokenizer, "estimate");
});

test("a model the catalog does not know: a conservative context and an estimate", async () => {
  const limits = await setup()("anthropic:claude-from-the-future");
  assert.equal(limits.contextWindow, DEFAULT_CONTEXT_WINDOW);
  assert.equal(limits.tokenizer, "estimate");
  assert.equal(limits.countTokens(SAMPLE), estimateTokens(SAMPLE));
});

test("Ollama: num_ctx is sent, from the config or OLLAMA_CONTEXT_LENGTH, within the model's own context", async () => {
  const byDefault = await setup()("ollama:llama3.2:1b");
  assert.equal(byDefault.contextWindow, 8192);
  assert.deepEqual(byDefault.providerOptions, { ollama: { options: { num_ctx: 8192 } } });
  assert.equal(byDefault.capOutput, true);
  const fromEnv = await setup({ OLLAMA_CONTEXT_LENGTH: "4096" })("ollama:llama3.2:1b");
  assert.deepEqual(fromEnv.providerOptions, { ollama: { options: { num_ctx: 4096 } } });
  const fromConfig = await setup({}, { providers: { ollama: { numCtx: 1_000_000 } } })("ollama:llama3.2:1b");
  assert.equal(fromConfig.contextWindow, 131_072, "no more than the catalog's context window");
});

test("local models: the loaded context (capped by the config) and the model's own tokenizer", async () => {
  const limits = await setup({}, { local: { contextSize: 1024 } })("local:../shared/models/stories260K.gguf");
  try {
    assert.equal(limits.contextWindow, 1024);
    assert.equal(limits.tokenizer, "../shared/models/stories260K.gguf (GGUF vocabulary)");
    assert.equal(limits.systemRole, false, "a TinyStories model has no chat template");
    // The 512-piece SentencePiece vocabulary needs far more tokens than OpenAI's.
    assert.ok(limits.countTokens(SAMPLE) > countTokens(SAMPLE) * 1.5);
  } finally {
    limits.release();
  }
});

test("a local model that is not there fails with the engine's own error and hint", async () => {
  await assert.rejects(setup()("local:missing-model-xyz"), { kind: "model_not_found" });
});
