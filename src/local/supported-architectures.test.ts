import assert from "node:assert/strict";
import { test } from "node:test";
import { SUPPORTED_ARCHITECTURES } from "./supported-architectures.ts";

// In node-llama-cpp's enum, but no model llama.cpp runs on its own.
const NOT_MODELS = new Set(["clip", "(unknown)"]);

test("every architecture node-llama-cpp knows is in the supported table, or knowingly left out", async () => {
  // Its types make GgufArchitectureType a `const enum`, which this build may not read; at run time it is
  // an object, so the module is imported untyped.
  const library = "node-llama-cpp";
  const { GgufArchitectureType } = await import(library);
  const known: string[] = Object.values(GgufArchitectureType);
  assert.ok(known.includes("llama"), "node-llama-cpp no longer exports its architectures as expected");
  const missing = known.filter((name) => !SUPPORTED_ARCHITECTURES.has(name) && !NOT_MODELS.has(name));
  assert.deepEqual(
    missing,
    [],
    "node-llama-cpp knows architectures the table lacks: add the ones the bundled llama.cpp runs to supported-architectures.ts",
  );
});
