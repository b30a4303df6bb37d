import assert from "node:assert/strict";
import { mkdtemp, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { writeOllamaModel } from "../../test/support/write-ollama-model.ts";
import { listLocalModels } from "./list-local-models.ts";
import { pullModel } from "./pull-model.ts";

let dir: string;
let modelsDir: string;
let ollamaModels: string;
let blob: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-list-"));
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

test("lists stored and Ollama models with facts from their headers", async () => {
  const models = await listLocalModels(options());
  const tiny = models.find((m) => m.name === "tiny:1b");
  assert.equal(tiny?.source, "store");
  assert.equal(tiny?.path, join(modelsDir, "tiny-1b.gguf"));
  assert.equal(tiny?.architecture, "llama");
  assert.equal(tiny?.contextLength, 1024);
  assert.equal(tiny?.quantization, "F32");
  assert.ok((tiny?.parameterCount ?? 0) > 100_000);
  assert.equal(tiny?.sizeBytes, (await stat(join(modelsDir, "tiny-1b.gguf"))).size);
  assert.equal(tiny?.origin, join(dir, "src.gguf"));
  const ollama = models.find((m) => m.source === "ollama");
  assert.deepEqual([ollama?.name, ollama?.path, ollama?.architecture], ["llama3.2:1b", blob, "llama"]);
  const broken = models.find((m) => m.name === "broken");
  assert.match(broken?.problem ?? "", /truncated/);
});

test("an empty or missing store lists nothing", async () => {
  assert.deepEqual(
    await listLocalModels({ modelsDir: join(dir, "nothing"), ollamaModels: join(dir, "nothing") }),
    [],
  );
});
