import assert from "node:assert/strict";
import { mkdtemp, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { writeOllamaModel } from "../../test/support/write-ollama-model.ts";
import { isLlmuxError } from "../core/errors.ts";
import { pullModel } from "./pull-model.ts";
import { resolveLocalModelPath } from "./resolve-local-model-path.ts";

let dir: string;
let modelsDir: string;
let ollamaModels: string;
let blob: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-resolve-"));
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
