import { join } from "node:path";
import { LlmuxError } from "../core/errors.ts";
import { resolvePaths } from "../core/paths.ts";

interface ModelStorePaths {
  /** The installed model file. */
  model: string;
  /** JSON facts about it; its presence is what makes the model installed. */
  manifest: string;
  /** Where a download in progress (or interrupted) accumulates. */
  partial: string;
  /** Held while a pull or removal of this model runs. */
  lock: string;
}

/** Where the store keeps a model named like `llama3.2:1b` (`llama3.2-1b.gguf`, `.json`...). */
export function modelStorePaths(name: string, modelsDir: string = resolvePaths().models): ModelStorePaths {
  // Portable file names: `:` and `/` are not allowed everywhere.
  const slug = name.replace(/[^\w.-]+/g, "-");
  if (!name || /^\.+$/.test(slug)) {
    throw new LlmuxError("usage", `"${name}" is not a valid model name`, {
      hint: "Use a name like qwen2.5:0.5b",
    });
  }
  return {
    model: join(modelsDir, `${slug}.gguf`),
    manifest: join(modelsDir, `${slug}.json`),
    partial: join(modelsDir, ".partial", `${slug}.gguf.partial`),
    lock: join(modelsDir, ".partial", `${slug}.lock`),
  };
}
