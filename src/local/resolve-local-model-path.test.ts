import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { makeModelStores } from "../../test/support/make-model-stores.ts";
import { isLlmuxError } from "../core/errors.ts";
import { resolveLocalModelPath } from "./resolve-local-model-path.ts";

const stores = await makeModelStores();
after(() => stores.remove());
const { dir, modelsDir, blob } = stores;

const options = () => stores.options;

test("resolveLocalModelPath: paths, then the store, then Ollama, else a clear error", async () => {
  assert.equal(await resolveLocalModelPath("local:tiny:1b", options()), join(modelsDir, "tiny-1b.gguf"));
  assert.equal(await resolveLocalModelPath("local:llama3.2:1b", options()), blob);
  assert.equal(await resolveLocalModelPath(`local:${join(dir, "x.gguf")}`, options()), join(dir, "x.gguf"));
  await assert.rejects(
    resolveLocalModelPath("local:qwen2.5:0.5b", {
      ...options(),
      findGguf: () => ({ repo: "a/b", file: "c.gguf" }),
    }),
    (error) =>
      isLlmuxError(error) &&
      error.kind === "model_not_found" &&
      /llmux pull qwen2\.5:0\.5b/.test(error.hint ?? ""),
  );
  await assert.rejects(
    resolveLocalModelPath("local:nonesuch", { ...options(), findGguf: () => undefined }),
    (error) =>
      isLlmuxError(error) && error.kind === "model_not_found" && /neither the catalog/.test(error.hint ?? ""),
  );
});
