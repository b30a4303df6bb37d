import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { makeModelStores } from "../../test/support/make-model-stores.ts";
import { listLocalModels } from "./list-local-models.ts";

const stores = await makeModelStores();
after(() => stores.remove());
const { dir, modelsDir, blob } = stores;

const options = () => stores.options;

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
