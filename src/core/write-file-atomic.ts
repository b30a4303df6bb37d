import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { makePrivateDir } from "./paths.ts";

interface WriteFileAtomicOptions {
  /**
   * The file's mode, whatever the umask and whatever mode a replaced file had (e.g. 0o600 for a
   * cache that must stay the user's); folders it has to create are then made private (0700) too.
   * Without it a replaced file keeps its mode, and a new one gets the umask's default.
   */
  mode?: number;
}

/**
 * Writes through a temp file in the same folder and a rename, so readers never see half a file.
 * The temp file is created readable by the owner only and given its final mode before the rename,
 * so the content is never visible to others, even for an instant.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const folder = dirname(path);
  if (options.mode !== undefined) makePrivateDir(folder);
  else await mkdir(folder, { recursive: true });
  const mode = options.mode ?? (await existingMode(path));
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, data, { mode: 0o600 });
    // writeFile's mode is masked by the umask; chmod is not. A new file without a mode asked for
    // gets what a plain write would have given it.
    await chmod(temp, mode ?? 0o666 & ~process.umask());
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}
