import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { LlmuxError } from "../core/errors.ts";
import { detokenize } from "./detokenize.ts";
import { localEngine } from "./local-engine.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
localEngine.configure({ threads: 1 });

test("turns token ids into text", async () => {
  // ids of "Once upon a time" in this model's vocabulary
  assert.equal(await detokenize(MODEL, [403, 407, 261, 378]), "Once upon a time");
});

test("an id outside the vocabulary is a bad request, not a crash", async () => {
  await assert.rejects(
    detokenize(MODEL, [403, 512]),
    (error: unknown) =>
      error instanceof LlmuxError && error.kind === "bad_request" && /512/.test(error.message),
  );
});
