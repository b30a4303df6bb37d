import { mkdtemp, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pullModel } from "../../src/local/pull-model.ts";
import { writeGguf } from "./write-gguf.ts";
import { writeOllamaModel } from "./write-ollama-model.ts";

export interface ModelStores {
  dir: string;
  /** llmux's store: `tiny:1b` (a valid tiny model) and `broken` (truncated). */
  modelsDir: string;
  /** Ollama's store: `llama3.2:1b`, whose blob is `blob`. */
  ollamaModels: string;
  blob: string;
  options: { modelsDir: string; ollamaModels: string };
  remove(): Promise<void>;
}

/** Both model stores in a temp dir, as the store, listing and resolving tests need them. */
export async function makeModelStores(): Promise<ModelStores> {
  const dir = await mkdtemp(join(tmpdir(), "llmux-stores-"));
  const modelsDir = join(dir, "models");
  const ollamaModels = join(dir, "ollama");
  const gguf = await writeGguf(join(dir, "src.gguf"), { contextLength: 1024 });
  await pullModel(gguf.path, { modelsDir, name: "tiny:1b" });
  await pullModel(gguf.path, { modelsDir, name: "broken" });
  await truncate(join(modelsDir, "broken.gguf"), 5_000);
  const blob = await writeOllamaModel(ollamaModels, { model: "llama3.2", tag: "1b" }, gguf.path);
  return {
    dir,
    modelsDir,
    ollamaModels,
    blob,
    options: { modelsDir, ollamaModels },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
