import assert from "node:assert/strict";
import { test } from "node:test";
import { LlmuxError } from "../core/errors.ts";
import { defineOptions, parseOptionValues } from "./define-options.ts";

const options = defineOptions({
  temperature: { type: "number", placeholder: "N", min: 0, max: 2, description: "t" },
  format: { type: "string", placeholder: "F", choices: ["text", "json"], description: "f" },
});

test("a bad number and a bad choice are usage errors that point to the command's own help", () => {
  for (const values of [{ temperature: "3" }, { temperature: "" }, { format: "xml" }]) {
    assert.throws(
      () => parseOptionValues(options, values, "ask"),
      (error: unknown) =>
        error instanceof LlmuxError &&
        error.kind === "usage" &&
        error.userMessage.includes("llmux ask --help"),
    );
  }
});

test("absent values take their defaults; a number is converted", () => {
  assert.deepEqual(parseOptionValues(options, { temperature: "0.5" }, "ask"), {
    temperature: 0.5,
    format: undefined,
  });
});
