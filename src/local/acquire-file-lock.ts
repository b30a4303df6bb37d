import { open, readFile, rm } from "node:fs/promises";
import { LlmuxError } from "../core/errors.ts";

const POLL_MS = 100;

/**
 * Takes an exclusive lock file (created with `wx`, holding our pid), waiting while another live
 * process holds it; a lock whose process is gone is stale and taken over. Resolves to the release
 * function. `waitMs` bounds the wait; the signal cancels it.
 */
export async function acquireFileLock(
  path: string,
  options: { waitMs?: number; signal?: AbortSignal; what?: string } = {},
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? Number.POSITIVE_INFINITY);
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(holder) && !isAlive(holder)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LlmuxError("usage", `${options.what ?? path} is busy: process ${holder} is working on it`, {
        hint: `Wait for it to finish, or delete ${path} if no such process runs`,
      });
    }
    if (options.signal?.aborted) {
      throw new LlmuxError("aborted", "Cancelled while waiting for another process", {
        cause: options.signal.reason,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
