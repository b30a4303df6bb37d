import assert from "node:assert/strict";
import { test } from "node:test";
import { LlmuxError } from "../core/errors.ts";
import { chooseThreadCount } from "./choose-thread-count.ts";

test("uses one thread on a 2-CPU machine and half the CPUs on bigger ones", () => {
  assert.equal(chooseThreadCount({ cores: 1, env: {} }), 1);
  assert.equal(chooseThreadCount({ cores: 2, env: {} }), 1);
  assert.equal(chooseThreadCount({ cores: 16, env: {} }), 8);
});

test("LLMUX_THREADS overrides the automatic choice, an explicit setting overrides both", () => {
  assert.equal(chooseThreadCount({ cores: 2, env: { LLMUX_THREADS: "3" } }), 3);
  assert.equal(chooseThreadCount({ threads: 2, cores: 16, env: { LLMUX_THREADS: "3" } }), 2);
});

test("a nonsense thread count is a config error", () => {
  for (const value of ["0", "-2", "1.5", "many"]) {
    assert.throws(
      () => chooseThreadCount({ env: { LLMUX_THREADS: value } }),
      (error: unknown) =>
        error instanceof LlmuxError && error.kind === "config" && /LLMUX_THREADS/.test(error.message),
    );
  }
});

test("without hints it picks at least one thread on this machine", () => {
  const threads = chooseThreadCount({ env: {} });
  assert.ok(Number.isInteger(threads) && threads >= 1);
});
