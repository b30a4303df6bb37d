import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { getLlama, getLlamaGpuTypes, type Llama, type LlamaGpuType, LlamaLogLevel } from "node-llama-cpp";
import { LlmuxError } from "../core/errors.ts";
import { PRIVATE_FILE_MODE, resolvePaths } from "../core/paths.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";

/** `"auto"` probes for CUDA, Vulkan and Metal (once per node-llama-cpp version); `false` is the CPU. */
export type GpuSetting = "auto" | LlamaGpuType;

/** What the GPU probe found, and for which node-llama-cpp on which machine. */
interface GpuProbe {
  nodeLlamaCpp: string;
  platform: string;
  arch: string;
  /** The GPU types whose libraries (CUDA, Vulkan) the machine has: installing a driver re-probes. */
  libraries: LlamaGpuType[];
  gpu: LlamaGpuType;
}

const SETTINGS: Record<string, GpuSetting> = {
  auto: "auto",
  cpu: false,
  false: false,
  cuda: "cuda",
  vulkan: "vulkan",
  metal: "metal",
};

/** `LLMUX_GPU`: auto, cpu (or false), cuda, vulkan, metal; undefined when unset. */
export function gpuSettingFromEnv(env: NodeJS.ProcessEnv = process.env): GpuSetting | undefined {
  const value = env.LLMUX_GPU?.trim().toLowerCase();
  if (!value) return undefined;
  const setting = SETTINGS[value];
  if (setting === undefined) {
    throw new LlmuxError("config", `LLMUX_GPU="${env.LLMUX_GPU}" is not a GPU setting`, {
      hint: "Set LLMUX_GPU to auto, cpu, cuda, vulkan or metal, or unset it",
    });
  }
  return setting;
}

/** The probe's cache file, in llmux's cache dir. */
function gpuProbeFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolvePaths(env).cacheDir, "gpu-probe.json");
}

/**
 * One `Llama` for the process. With `"auto"`, node-llama-cpp loads and tests each GPU build the
 * machine's libraries suggest (a second or more, and a warning, where CUDA or Vulkan libraries
 * exist without a usable GPU), so the answer is kept in `probeFile` and reused until
 * node-llama-cpp, the platform, the architecture or the GPU libraries present change, or the
 * cached choice fails to load.
 */
export async function loadLlama(
  setting: GpuSetting = gpuSettingFromEnv() ?? "auto",
  probeFile: string = gpuProbeFile(),
): Promise<Llama> {
  if (setting !== "auto") return load(setting);
  const current = {
    nodeLlamaCpp: nodeLlamaCppVersion(),
    platform: process.platform,
    arch: process.arch,
    // A few file checks (node-llama-cpp keeps the answer for its own probe).
    libraries: await getLlamaGpuTypes("supported"),
  };
  const cached = await readProbe(probeFile);
  if (
    cached &&
    cached.nodeLlamaCpp === current.nodeLlamaCpp &&
    cached.platform === current.platform &&
    cached.arch === current.arch &&
    JSON.stringify(cached.libraries) === JSON.stringify(current.libraries)
  ) {
    try {
      // Quiet: if it fails, the probe below says what it finds.
      return await load(cached.gpu, { quiet: true });
    } catch {
      // The driver or the card went away: probe again.
    }
  }
  const llama = await load("auto");
  await writeProbe(probeFile, { ...current, gpu: llama.gpu }).catch(() => {
    // A read-only cache dir costs the next start a probe, nothing more.
  });
  return llama;
}

function load(gpu: GpuSetting, { quiet = false } = {}): Promise<Llama> {
  return getLlama({
    build: "never",
    gpu,
    logLevel: LlamaLogLevel.error,
    ...(quiet && { progressLogs: false }),
  });
}

async function readProbe(file: string): Promise<GpuProbe | undefined> {
  try {
    const probe = JSON.parse(await readFile(file, "utf8")) as Partial<GpuProbe>;
    const gpu = probe.gpu;
    return gpu === false || gpu === "cuda" || gpu === "vulkan" || gpu === "metal"
      ? (probe as GpuProbe)
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeProbe(file: string, probe: GpuProbe): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(probe)}\n`, { mode: PRIVATE_FILE_MODE });
}

let version: string | undefined;
function nodeLlamaCppVersion(): string {
  // Its package.json is not in its exports: it sits next to dist/, where the entry point is.
  const file = new URL("../package.json", import.meta.resolve("node-llama-cpp"));
  version ??= (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  return version;
}
