import { homedir } from "node:os";
import { join } from "node:path";

export interface LlmuxPaths {
  configDir: string;
  dataDir: string;
  cacheDir: string;
  configFile: string;
  database: string;
  models: string;
}

/**
 * Where llmux keeps its state. `LLMUX_HOME`, when set, holds everything; otherwise the XDG base
 * directories (with their standard fallbacks under the home directory).
 */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): LlmuxPaths {
  const home = env.LLMUX_HOME;
  if (home) {
    return {
      configDir: home,
      dataDir: home,
      cacheDir: home,
      configFile: join(home, "config.json"),
      database: join(home, "llmux.db"),
      models: join(home, "models"),
    };
  }
  const userHome = env.HOME || homedir();
  const configDir = join(env.XDG_CONFIG_HOME || join(userHome, ".config"), "llmux");
  const dataDir = join(env.XDG_DATA_HOME || join(userHome, ".local", "share"), "llmux");
  const cacheDir = join(env.XDG_CACHE_HOME || join(userHome, ".cache"), "llmux");
  return {
    configDir,
    dataDir,
    cacheDir,
    configFile: join(configDir, "config.json"),
    database: join(dataDir, "llmux.db"),
    models: join(cacheDir, "models"),
  };
}
