import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { getLlamaGpuTypes } from "node-llama-cpp";
import { isLlmuxError } from "../core/errors.ts";
import { gpuSettingFromEnv } from "./load-llama.ts";
import { LocalEngine } from "./local-engine.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
const dir = mkdtempSync(join(tmpdir(), "llmux-gpu-probe-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts an engine on the tiny model, as a CLI call does, and stops it. */
async function start(gpuProbeFile: string, gpu?: "auto" | false): Promise<void> {
  const engine = new LocalEngine({ threads: 1, gpuProbeFile, ...(gpu !== undefined && { gpu }) });
  try {
    (await engine.useModel(MODEL)).release();
  } finally {
    await engine.dispose();
  }
}

const inode = (file: string) => statSync(file).ino;

test("the GPU probe runs on the first start, and later starts reuse its answer", async () => {
  const file = join(dir, "first", "gpu-probe.json");
  await start(file, "auto");
  const probe = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(typeof probe.nodeLlamaCpp, "string");
  assert.equal(probe.platform, process.platform);
  assert.equal(probe.arch, process.arch);
  assert.ok([false, "cuda", "vulkan", "metal"].includes(probe.gpu), `gpu: ${probe.gpu}`);
  assert.ok(Array.isArray(probe.libraries));
  assert.equal(statSync(file).mode & 0o777, 0o600);

  // Every probe writes the file anew (a new inode: it is renamed into place); a reuse does not.
  const written = inode(file);
  await start(file, "auto");
  assert.equal(inode(file), written, "the second start read the answer instead of probing");
});

test("another node-llama-cpp version, other GPU libraries, or an answer that no longer loads, is probed again", async () => {
  const file = join(dir, "stale", "gpu-probe.json");
  await start(file, "auto");
  const probe = JSON.parse(readFileSync(file, "utf8"));

  writeFileSync(file, JSON.stringify({ ...probe, nodeLlamaCpp: "0.0.1" }));
  let before = inode(file);
  await start(file, "auto");
  assert.notEqual(inode(file), before, "probed again");
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), probe);

  // GPU libraries installed or removed since (a driver, say).
  writeFileSync(file, JSON.stringify({ ...probe, libraries: ["cuda", ...probe.libraries] }));
  before = inode(file);
  await start(file, "auto");
  assert.notEqual(inode(file), before, "probed again");
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), probe);

  // A GPU this machine lacks: its build does not load, so the engine probes again.
  const supported = await getLlamaGpuTypes("supported");
  const missing = (["cuda", "vulkan"] as const).find((gpu) => !supported.includes(gpu));
  if (missing === undefined || process.platform === "darwin") return;
  writeFileSync(file, JSON.stringify({ ...probe, gpu: missing }));
  before = inode(file);
  await start(file, "auto");
  assert.notEqual(inode(file), before, "probed again");
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), probe);
});

test("a GPU chosen explicitly skips the probe and its file", async () => {
  const file = join(dir, "explicit", "gpu-probe.json");
  await start(file, false);
  assert.throws(() => statSync(file), { code: "ENOENT" });
});

test("LLMUX_GPU chooses the GPU; a value it does not know is a config error", () => {
  assert.equal(gpuSettingFromEnv({}), undefined);
  assert.equal(gpuSettingFromEnv({ LLMUX_GPU: "cpu" }), false);
  assert.equal(gpuSettingFromEnv({ LLMUX_GPU: "false" }), false);
  assert.equal(gpuSettingFromEnv({ LLMUX_GPU: " CUDA " }), "cuda");
  assert.equal(gpuSettingFromEnv({ LLMUX_GPU: "auto" }), "auto");
  assert.throws(
    () => gpuSettingFromEnv({ LLMUX_GPU: "tpu" }),
    (error) => isLlmuxError(error) && error.kind === "config",
  );
});
