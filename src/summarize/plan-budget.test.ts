import assert from "node:assert/strict";
import { test } from "node:test";
import { LlmuxError } from "../core/errors.ts";
import { MAX_CHUNK_TOKENS, planBudget, TEMPLATE_TOKENS } from "./plan-budget.ts";

test("a 2,048-token model: prompt, chunk and answer together fit the context", () => {
  const budget = planBudget({
    contextWindow: 2048,
    promptTokens: 250,
    answerTokens: 400,
    noteTokens: 400,
    exact: true,
  });
  assert.equal(budget.answerTokens, 400);
  assert.equal(
    250 + TEMPLATE_TOKENS + budget.chunkTokens + budget.answerTokens,
    2048,
    "all of the context is used",
  );
  assert.ok(budget.noteTokens <= budget.chunkTokens / 3, "three parts' notes fit one call");
  assert.ok(budget.chunkTokens > 1000);
});

test("a long answer asked of a small context gets at most half the room", () => {
  const budget = planBudget({
    contextWindow: 1024,
    promptTokens: 200,
    answerTokens: 1600,
    noteTokens: 400,
    exact: true,
  });
  const room = 1024 - 200 - TEMPLATE_TOKENS;
  assert.equal(budget.answerTokens, room / 2);
  assert.equal(budget.chunkTokens, room / 2);
  assert.ok(budget.noteTokens <= Math.floor(budget.chunkTokens / 3));
});

test("estimated counts leave a margin; a huge context is still cut into parts", () => {
  const exact = planBudget({
    contextWindow: 8192,
    promptTokens: 200,
    answerTokens: 400,
    noteTokens: 400,
    exact: true,
  });
  const estimated = planBudget({
    contextWindow: 8192,
    promptTokens: 200,
    answerTokens: 400,
    noteTokens: 400,
    exact: false,
  });
  assert.ok(estimated.chunkTokens < exact.chunkTokens * 0.95);
  const huge = planBudget({
    contextWindow: 1_048_576,
    promptTokens: 200,
    answerTokens: 400,
    noteTokens: 400,
    exact: true,
  });
  assert.equal(huge.chunkTokens, MAX_CHUNK_TOKENS);
});

test("a context the prompt alone fills is a bad request that says what to do", () => {
  assert.throws(
    () =>
      planBudget({ contextWindow: 512, promptTokens: 400, answerTokens: 400, noteTokens: 400, exact: true }),
    (error: unknown) =>
      error instanceof LlmuxError &&
      error.kind === "bad_request" &&
      /context of 512 tokens/.test(error.message) &&
      /larger context|shorter --prompt/.test(error.hint ?? ""),
  );
});
