import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { writeOllamaModel } from "../../test/support/write-ollama-model.ts";
import { findOllamaModel } from "./find-ollama-model.ts";
import { listOllamaModels } from "./list-ollama-models.ts";

let dir: string;
let ollamaModels: string;
let blob: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-ollama-"));
  ollamaModels = join(dir, "ollama");
  const gguf = await writeGguf(join(dir, "m.gguf"));
  blob = await writeOllamaModel(ollamaModels, { model: "llama3.2", tag: "1b" }, gguf.path);
  await writeOllamaModel(ollamaModels, { model: "tiny" }, gguf.path);
  await writeOllamaModel(ollamaModels, { namespace: "someone", model: "custom", tag: "q4" }, gguf.path);
  await writeOllamaModel(
    ollamaModels,
    { host: "hf.co", namespace: "org", model: "repo", tag: "Q8_0" },
    gguf.path,
  );
  // A manifest list and a manifest without a model layer are skipped.
  const other = join(ollamaModels, "manifests", "registry.ollama.ai", "library", "other");
  await mkdir(other, { recursive: true });
  await writeFile(join(other, "list"), JSON.stringify({ schemaVersion: 2, manifests: [] }));
  await writeFile(join(other, "nomodel"), JSON.stringify({ schemaVersion: 2, layers: [] }));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("finds Ollama models by every name form and returns the blob in place", async () => {
  assert.deepEqual(await findOllamaModel("llama3.2:1b", { ollamaModels }), {
    name: "llama3.2:1b",
    path: blob,
  });
  assert.equal((await findOllamaModel("tiny", { ollamaModels }))?.name, "tiny:latest");
  assert.equal((await findOllamaModel("someone/custom:q4", { ollamaModels }))?.path, blob);
  assert.equal((await findOllamaModel("hf.co/org/repo:Q8_0", { ollamaModels }))?.name, "hf.co/org/repo:Q8_0");
});

test("unknown names, manifest lists and layerless manifests are not found", async () => {
  assert.equal(await findOllamaModel("llama3.2:3b", { ollamaModels }), undefined);
  assert.equal(await findOllamaModel("other:list", { ollamaModels }), undefined);
  assert.equal(await findOllamaModel("other:nomodel", { ollamaModels }), undefined);
  assert.equal(await findOllamaModel("../../etc:passwd", { ollamaModels }), undefined);
  assert.equal(await findOllamaModel("tiny", { ollamaModels: join(dir, "no-ollama") }), undefined);
});

test("$OLLAMA_MODELS is where Ollama's store is by default", async () => {
  assert.equal((await findOllamaModel("tiny", { env: { OLLAMA_MODELS: ollamaModels } }))?.path, blob);
});

test("lists every Ollama model with a GGUF blob", async () => {
  const names = (await listOllamaModels({ ollamaModels })).map((m) => m.name);
  assert.deepEqual(names.sort(), ["hf.co/org/repo:Q8_0", "llama3.2:1b", "someone/custom:q4", "tiny:latest"]);
  assert.deepEqual(await listOllamaModels({ ollamaModels: join(dir, "none") }), []);
});
