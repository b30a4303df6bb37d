import assert from "node:assert/strict";
import { test } from "node:test";
import { findCatalogEntry, resolveBareModelName } from "./find-catalog-entry.ts";

test("finds a model by id and by alias", () => {
  assert.equal(findCatalogEntry("openai", "gpt-4.1-mini")?.name, "GPT-4.1 mini");
  assert.equal(findCatalogEntry("anthropic", "claude-sonnet-4-5-20250929")?.model, "claude-sonnet-4-5");
});

test("a dated snapshot id falls back to the longest matching catalog id", () => {
  // gpt-4.1 is also a prefix of this name; the longer gpt-4.1-mini must win.
  assert.equal(findCatalogEntry("openai", "gpt-4.1-mini-2025-04-14")?.model, "gpt-4.1-mini");
  assert.equal(findCatalogEntry("openai", "gpt-4.1-2025-04-14")?.model, "gpt-4.1");
  assert.equal(findCatalogEntry("openai", "gpt-4o-2024-08-06")?.model, "gpt-4o");
});

test("a name that merely starts like a catalog id is not matched", () => {
  assert.equal(findCatalogEntry("openai", "gpt-4.1-mini-preview"), undefined);
  assert.equal(findCatalogEntry("openai", "gpt-4o-2024-08"), undefined);
  // The entry exists, but under another provider.
  assert.equal(findCatalogEntry("groq", "gpt-4o"), undefined);
});

test("a bare name resolves to the provider's own API first", () => {
  const gpt4o = resolveBareModelName("gpt-4o");
  assert.equal(gpt4o[0]?.provider, "openai");
  assert.ok(gpt4o.some((entry) => entry.provider === "azure"));
  assert.ok(gpt4o.some((entry) => entry.provider === "openrouter"));
  const sonnet = resolveBareModelName("claude-sonnet-4-5");
  assert.equal(sonnet[0]?.provider, "anthropic");
  assert.ok(sonnet.some((entry) => entry.provider === "bedrock"));
  assert.deepEqual(resolveBareModelName("no-such-model"), []);
});
