import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestError } from "../openai/request-error.ts";
import { convertOllamaGenerateRequest } from "./convert-ollama-generate-request.ts";

test("system and prompt become one exchange; empty raw, template, suffix and context are accepted", () => {
  const { callOptions, ignored } = convertOllamaGenerateRequest({
    model: "x",
    prompt: "Why is the sky blue?",
    system: "Answer in one line",
    raw: false,
    template: "",
    context: [],
    options: { seed: 3 },
    keep_alive: 0,
  });
  assert.deepEqual(callOptions.prompt, [
    { role: "system", content: "Answer in one line" },
    { role: "user", content: [{ type: "text", text: "Why is the sky blue?" }] },
  ]);
  assert.equal(callOptions.seed, 3);
  assert.deepEqual(ignored, ["keep_alive"]);
});

test("raw, template, suffix and context are refused with a 400 saying why", () => {
  for (const [field, value] of [
    ["raw", true],
    ["template", "{{ .Prompt }}"],
    ["suffix", "return x"],
    ["context", [1, 2, 3]],
  ] as const) {
    assert.throws(
      () => convertOllamaGenerateRequest({ prompt: "x", [field]: value }),
      (error: unknown) =>
        error instanceof RequestError &&
        error.status === 400 &&
        error.message.startsWith(`${field} is not supported for this model: `),
    );
  }
});
