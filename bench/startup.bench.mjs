// How long llmux takes to start: whole processes, each measured from spawn to exit, all targets
// interleaved in the same run and reported as medians and as ratios to `node -e 0`. See
// bench/startup.README.md.
//
//   npm run build && node bench/startup.bench.mjs [--runs 15] [--npx-runs 3] [--repo DIR] [--only a,b] [--json]
//
// --repo measures another checkout (built, with node_modules), e.g. an older commit, with this
// script. npx runs use a throwaway npm cache, never the user's. --json adds the table as JSON.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const repo = resolve(option("--repo", here));
const runs = Number(option("--runs", "15"));
const npxRuns = Number(option("--npx-runs", "3"));
const only = option("--only")?.split(",");
const cli = join(repo, "dist/cli/main.js");
if (!existsSync(cli))
  throw new Error(`Run \`npm run build\` in ${repo} first: the benchmark runs dist/cli/main.js`);

const model = resolve(here, "../shared/models/stories260K.gguf");
const work = mkdtempSync(join(tmpdir(), "llmux-startup-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const home = join(work, "home");
mkdirSync(home);
// A libvulkan.so.1 that is no Vulkan driver: node-llama-cpp then tries its Vulkan build first, as
// on a machine with Vulkan (or CUDA) libraries and no usable GPU.
const fakeVulkan = join(work, "fake-vulkan");
mkdirSync(fakeVulkan);
const libz = [
  "/usr/lib/x86_64-linux-gnu/libz.so.1",
  "/lib/x86_64-linux-gnu/libz.so.1",
  "/usr/lib64/libz.so.1",
].find(existsSync);
if (libz) symlinkSync(libz, join(fakeVulkan, "libvulkan.so.1"));

const env = { ...process.env, LLMUX_HOME: home, NO_COLOR: "1" };
delete env.LLMUX_GPU;
const probeFile = join(home, "gpu-probe.json");
const ask = ["ask", "Once upon", "--model", `local:${model}`, "--max-tokens", "5"];
const npmCache = join(work, "npm-cache");
const npx = (fresh) => ({
  cmd: "npx",
  args: ["llmux", "--version"],
  env: { ...env, npm_config_cache: npmCache, npm_config_update_notifier: "false" },
  before: fresh ? () => rmSync(npmCache, { recursive: true, force: true }) : undefined,
  runs: npxRuns,
});

const targets = [
  { name: "node -e 0", cmd: "node", args: ["-e", "0"], baseline: true },
  { name: "llmux --help", cmd: "node", args: [cli, "--help"] },
  { name: "llmux --version", cmd: "node", args: [cli, "--version"] },
  { name: 'import("llmux")', cmd: "node", args: ["--input-type=module", "-e", 'await import("llmux")'] },
  {
    name: 'import("llmux/gateway")',
    cmd: "node",
    args: ["--input-type=module", "-e", 'await import("llmux/gateway")'],
  },
  { name: "npx llmux --version (first)", ...npx(true) },
  { name: "npx llmux --version (warm)", ...npx(false) },
  {
    name: "ask local, GPU probed",
    cmd: "node",
    args: [cli, ...ask],
    before: () => rmSync(probeFile, { force: true }),
  },
  { name: "ask local, probe cached", cmd: "node", args: [cli, ...ask] },
  ...(libz
    ? [
        {
          name: "ask local, Vulkan libs, probed",
          cmd: "node",
          args: [cli, ...ask],
          env: { ...env, LD_LIBRARY_PATH: fakeVulkan },
          before: () => rmSync(probeFile, { force: true }),
        },
        {
          name: "ask local, Vulkan libs, cached",
          cmd: "node",
          args: [cli, ...ask],
          env: { ...env, LD_LIBRARY_PATH: fakeVulkan },
        },
      ]
    : []),
]
  .filter((t) => t.baseline || !only || only.some((o) => t.name.includes(o)))
  // --npx-runs 0 leaves npx out, its unmeasured first run too.
  .filter((t) => (t.runs ?? runs) > 0);

function run(target) {
  target.before?.();
  const started = process.hrtime.bigint();
  const child = spawnSync(target.cmd, target.args, { cwd: repo, env: target.env ?? env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0)
    throw new Error(`${target.name} exited ${child.status}: ${child.stderr.slice(-300)}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const { buildReason } = await import(pathToFileURL(join(repo, "scripts/prepare.mjs")).href).catch(() => ({}));
const stale = buildReason?.("exec");
console.log(`repo ${repo}, node ${process.version}, ${runs} runs (npx: ${npxRuns}), interleaved`);
if (stale)
  console.log(`note: ${stale}, so the first npx run builds (run \`npm run build\` for the no-build figure)`);

// One unmeasured run each warms the file cache and drops what this checkout cannot run.
const runnable = targets.filter((t) => {
  try {
    run(t);
    return true;
  } catch (error) {
    console.log(`skipped: ${error.message.split("\n")[0]}`);
    return false;
  }
});
const samples = new Map(runnable.map((t) => [t, []]));
// Interleaved, so that other load on the machine falls on every target alike.
for (let i = 0; i < runs; i++) {
  for (const t of runnable) if (i < (t.runs ?? runs)) samples.get(t).push(run(t));
}

const base = median(samples.get(runnable[0]));
const rows = runnable.map((t) => {
  const m = median(samples.get(t));
  return {
    target: t.name,
    runs: samples.get(t).length,
    medianMs: Math.round(m),
    ratio: Number((m / base).toFixed(2)),
  };
});
const width = Math.max(...rows.map((r) => r.target.length));
console.log(`\n${"target".padEnd(width)}  runs  median ms  x node -e 0`);
for (const r of rows) {
  console.log(
    `${r.target.padEnd(width)}  ${String(r.runs).padStart(4)}  ${String(r.medianMs).padStart(9)}  ${r.ratio.toFixed(2).padStart(11)}`,
  );
}
if (argv.includes("--json")) console.log(JSON.stringify(rows));
