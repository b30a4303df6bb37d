import { chmodSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

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

/** llmux's own folders (data, config, cache) are the user's alone: they hold keys and conversations. */
const PRIVATE_DIR_MODE = 0o700;
/** The database, its -wal and -shm files, and the caches llmux writes. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `path` and any missing parents as PRIVATE_DIR_MODE, whatever the umask; folders that
 * exist already keep their mode (LLMUX_HOME may be a folder the user made for other things too).
 */
export function makePrivateDir(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  for (let dir = path; ; dir = dirname(dir)) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    if (dir === first || dirname(dir) === dir) break;
  }
}
