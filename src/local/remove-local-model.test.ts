import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { makeModelStores } from "../../test/support/make-model-stores.ts";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { isLlmuxError } from "../core/errors.ts";
import { listLocalModels } from "./list-local-models.ts";
import { pullModel } from "./pull-model.ts";
import { removeLocalModel } from "./remove-local-model.ts";

const stores = await makeModelStores();
after(() => stores.remove());
const { dir, modelsDir, blob } = stores;

const options = () => stores.options;

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
