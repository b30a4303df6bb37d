import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { LlmuxError } from "../core/errors.ts";

interface ThreadCountOptions {
  /** An explicit choice (from the caller or the config file); wins over everything else. */
  threads?: number;
  env?: NodeJS.ProcessEnv;
  /** The CPUs this process may use; defaults to `os.availableParallelism()` and the cgroup CPU quota. */
  cores?: number;
}

/**
 * How many threads llama.cpp should compute with. node-llama-cpp's default (at least 4) is far
 * too many on small machines: on a shared 2-vCPU box a tiny model falls from ~1500 tokens/s with
 * one thread to ~50 with two and ~1 with four, because the threads spin waiting for each other.
 * Half the usable CPUs (at least one) approximates the physical cores on SMT machines and leaves
 * room for the event loop. `LLMUX_THREADS` overrides the automatic choice.
 */
export function chooseThreadCount(options: ThreadCountOptions = {}): number {
  if (options.threads !== undefined) return validThreads(options.threads, "threads setting");
  const fromEnv = (options.env ?? process.env).LLMUX_THREADS;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return validThreads(Number(fromEnv.trim()), "LLMUX_THREADS");
  }
  const cores = options.cores ?? usableCores();
  return Math.max(1, Math.floor(cores / 2));
}

function validThreads(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new LlmuxError("config", `${source} must be a whole number of threads, at least 1 (got ${value})`, {
      hint: "Set it to a positive integer such as 1 or 4",
    });
  }
  return value;
}

/** CPUs the process may use: the scheduler's view, capped by a container's CPU quota when there is one. */
function usableCores(): number {
  const quota = cgroupCpuQuota();
  const cpus = availableParallelism();
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

function cgroupCpuQuota(): number | undefined {
  // cgroup v2: "max 100000" (no limit) or "<quota> <period>"
  const v2 = readSmallFile("/sys/fs/cgroup/cpu.max");
  if (v2 !== undefined) {
    const [quota, period] = v2.trim().split(/\s+/);
    return quota === "max" ? undefined : ratio(quota, period);
  }
  // cgroup v1: a quota of -1 means no limit
  const quota = readSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const period = readSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  return ratio(quota?.trim(), period?.trim());
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : undefined;
}

function readSmallFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
