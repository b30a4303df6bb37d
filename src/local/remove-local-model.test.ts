import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { writeOllamaModel } from "../../test/support/write-ollama-model.ts";
import { isLlmuxError } from "../core/errors.ts";
import { listLocalModels } from "./list-local-models.ts";
import { pullModel } from "./pull-model.ts";
import { removeLocalModel } from "./remove-local-model.ts";

let dir: string;
let modelsDir: string;
let ollamaModels: string;
let blob: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-remove-"));
  modelsDir = join(dir, "models");
  ollamaModels = join(dir, "ollama");
  const gguf = await writeGguf(join(dir, "src.gguf"), { contextLength: 1024 });
  await pullModel(gguf.path, { modelsDir, name: "tiny:1b" });
  await pullModel(gguf.path, { modelsDir, name: "broken" });
  await truncate(join(modelsDir, "broken.gguf"), 5_000);
  blob = await writeOllamaModel(ollamaModels, { model: "llama3.2", tag: "1b" }, gguf.path);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = () => ({ modelsDir, ollamaModels });

test("removeLocalModel deletes a stored model and never touches Ollama's", async () => {
  const gguf = await writeGguf(join(dir, "gone.gguf"));
  await pullModel(gguf.path, { modelsDir, name: "gone" });
  const removed = await removeLocalModel("local:gone", options());
  assert.equal(removed.freedBytes, gguf.size);
  assert.equal(
    (await listLocalModels(options())).some((m) => m.name === "gone"),
    false,
  );
  await assert.rejects(stat(join(modelsDir, "gone.gguf")), { code: "ENOENT" });
  await assert.rejects(
    removeLocalModel("gone", options()),
    (error) =>
      isLlmuxError(error) &&
      error.kind === "model_not_found" &&
      /llmux models --local/.test(error.hint ?? ""),
  );
  const before = await readFile(blob);
  await assert.rejects(
    removeLocalModel("llama3.2:1b", options()),
    (error) => isLlmuxError(error) && /ollama rm llama3\.2:1b/.test(error.hint ?? ""),
  );
  assert.deepEqual(await readFile(blob), before);
});
