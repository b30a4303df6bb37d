import { homedir } from "node:os";
import { join } from "node:path";

/** Ollama's model store: `$OLLAMA_MODELS`, else `~/.ollama/models`. */
export function resolveOllamaModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OLLAMA_MODELS || join(env.HOME || homedir(), ".ollama", "models");
}
