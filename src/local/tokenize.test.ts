import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { detokenize } from "./detokenize.ts";
import { localEngine } from "./local-engine.ts";
import { tokenize } from "./tokenize.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
localEngine.configure({ threads: 1 });

test("splits text into the model's tokens, with each piece's text", async () => {
  const result = await tokenize(MODEL, "Once upon a time");
  assert.deepEqual(result.pieces, ["Once", " upon", " a", " time"]);
  assert.equal(result.count, 4);
  assert.equal(result.ids.length, 4);
});

test("detokenize restores the text", async () => {
  const text = "Lily saw a big, red ball in the park.";
  const { ids, pieces } = await tokenize(MODEL, text);
  assert.equal(await detokenize(MODEL, ids), text);
  assert.equal(pieces.join(""), text);
});
