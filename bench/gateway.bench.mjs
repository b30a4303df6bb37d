// llmux serve against the shared gateway benchmark harness (../shared/gateway-bench): the same load,
// in the same run, on the mock upstream directly, the raw node:http byte pipe, Portkey (OpenAI and
// Anthropic routes) and llmux: chat completions passed through (OpenAI) and translated
// (Anthropic), and each other client dialect's route (Anthropic Messages, OpenAI Responses,
// Ollama's /api/chat) passed through to an upstream speaking it and translated to Anthropic. The
// same conversation is sent in each dialect (reshape-bench-bodies.mjs); the Responses and Ollama
// upstreams are dialect-mock-upstream.mjs. See bench/gateway.README.md.
//
//   npm run build && node bench/gateway.bench.mjs [--dir DIR] [--only a,b] [--duration 5]
//
// The harness is copied to --dir (a temp dir by default) and `npm ci` installs Portkey there. Needs
// wrk, taskset and ss. SUTs are pinned to cpu1, load and mock to cpu0. One short round by default.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const cli = join(repo, "dist/cli/main.js");
if (!existsSync(cli)) throw new Error("Run `npm run build` first: the benchmark runs dist/cli/main.js");

const dir = option("--dir") ?? mkdtempSync(join(tmpdir(), "llmux-gwbench-"));
if (!existsSync(join(dir, "harness")))
  cpSync(join(repo, "../shared/gateway-bench"), dir, { recursive: true });
// The copied driver writes its request bodies in the target route's dialect.
const driver = join(dir, "harness/bench.mjs");
const bodies = "const B = { ns: mk('ns.json', {}),";
let driverText = readFileSync(driver, "utf8");
if (!driverText.includes("reshapeBodies")) {
  const end = driverText.indexOf(";", driverText.indexOf(bodies)) + 1;
  if (end === 0) throw new Error(`${driver} changed: no "${bodies}" to reshape`);
  driverText = `import { reshapeBodies } from ${JSON.stringify(join(repo, "bench/reshape-bench-bodies.mjs"))};\n${driverText.slice(0, end)}\nreshapeBodies(B, O.path);${driverText.slice(end)}`;
  writeFileSync(driver, driverText);
}
if (!existsSync(join(dir, "node_modules/@portkey-ai/gateway"))) {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
}

// Two llmux homes: "mock" and its per-request variants ("mock-d5") alias an OpenAI model served by
// the mock (passthrough), or an Anthropic one (translation through the provider layer).
const MOCK = "http://127.0.0.1:18001/v1";
const DIALECT_MOCK_PORT = 18002;
const DIALECT_MOCK = `http://127.0.0.1:${DIALECT_MOCK_PORT}`;
function llmuxTarget(name, port, provider, env, path) {
  const home = join(dir, `home-${name}`);
  mkdirSync(home, { recursive: true });
  const aliases = Object.fromEntries(["mock", "mock-d5"].map((m) => [m, `${provider}:${m}`]));
  writeFileSync(join(home, "config.json"), JSON.stringify({ aliases }));
  return {
    name,
    port,
    start: [
      "env",
      `LLMUX_HOME=${home}`,
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      process.execPath,
      cli,
      "serve",
      "--port",
      String(port),
    ],
    url: `http://127.0.0.1:${port}`,
    headers: ["Authorization: Bearer sk-client"],
    ...(path && { path }),
  };
}
const anthropicMock = { ANTHROPIC_API_KEY: "sk-ant-mock", ANTHROPIC_BASE_URL: MOCK };
const shared = JSON.parse(readFileSync(join(dir, "harness/targets.json"), "utf8")).targets;
const targets = [
  ...shared.filter((t) => ["direct", "raw-proxy", "portkey-openai", "portkey-anthropic"].includes(t.name)),
  llmuxTarget("llmux-openai", 18300, "openai", { OPENAI_API_KEY: "sk-mock", OPENAI_BASE_URL: MOCK }),
  llmuxTarget("llmux-anthropic", 18301, "anthropic", anthropicMock),
  llmuxTarget("llmux-messages-pass", 18302, "anthropic", anthropicMock, "/v1/messages"),
  llmuxTarget(
    "llmux-responses-pass",
    18303,
    "openai",
    { OPENAI_API_KEY: "sk-mock", OPENAI_BASE_URL: `${DIALECT_MOCK}/v1` },
    "/v1/responses",
  ),
  llmuxTarget("llmux-ollama-pass", 18304, "ollama", { OLLAMA_HOST: DIALECT_MOCK }, "/api/chat"),
  // Translated: Messages to an OpenAI upstream, the others to Anthropic, as chat completions is.
  llmuxTarget(
    "llmux-messages-tr",
    18305,
    "openai",
    { OPENAI_API_KEY: "sk-mock", OPENAI_BASE_URL: MOCK },
    "/v1/messages",
  ),
  llmuxTarget("llmux-responses-tr", 18306, "anthropic", anthropicMock, "/v1/responses"),
  llmuxTarget("llmux-ollama-tr", 18307, "anthropic", anthropicMock, "/api/chat"),
];
const targetsFile = join(dir, "llmux-targets.json");
writeFileSync(targetsFile, JSON.stringify({ targets }, null, 2));

const results = join(dir, "results-llmux");
const dialectMock = spawn(
  "taskset",
  [
    "-c",
    "0",
    process.execPath,
    join(repo, "bench/dialect-mock-upstream.mjs"),
    "--port",
    String(DIALECT_MOCK_PORT),
  ],
  { stdio: "inherit" },
);
const run = spawnSync(
  process.execPath,
  [
    "harness/run-all.mjs",
    "--targets",
    targetsFile,
    "--results-dir",
    results,
    "--rounds",
    option("--rounds", "1"),
    "--max-minutes",
    "20",
    ...(option("--only") ? ["--only", option("--only")] : []),
    "--duration",
    option("--duration", "5"),
    "--c1-duration",
    option("--c1-duration", "3"),
    "--warmup",
    "2",
    "--conns",
    "32,64",
    "--stream-conns",
    "32,64",
    "--ttfb-n",
    option("--ttfb-n", "100"),
  ],
  { cwd: dir, stdio: "inherit" },
);
dialectMock.kill();
if (run.status !== 0) process.exit(run.status ?? 1);

// The figures the gateway's goals are stated in, from the same run.
const runs = Object.fromEntries(
  targets
    .map((t) => join(results, "runs", `${t.name}-r1.json`))
    .filter(existsSync)
    .map((f) => {
      const r = JSON.parse(readFileSync(f, "utf8"));
      return [r.name, r];
    }),
);
const m = (name, key, field) => runs[name]?.runs?.[key]?.[field];
const ttfb = (name) => runs[name]?.runs?.ttfb_d0?.ttfb_ms?.p50;
const peak = (name) =>
  Math.max(
    ...Object.values(runs[name]?.runs ?? {}).map((v) => v.sut_rss_peak_mb ?? 0),
    runs[name]?.rss_hwm_mb ?? 0,
  );
const ratio = (a, b) => (a && b ? +(a / b).toFixed(2) : null);
const rows = Object.keys(runs).map((name) => ({
  target: name,
  "ns c1 rps": m(name, "ns_c1", "rps"),
  "ns c32 rps": m(name, "ns_c32", "rps"),
  "ns c64 rps": m(name, "ns_c64", "rps"),
  "st c32 rps": m(name, "st_c32", "rps"),
  "st c64 rps": m(name, "st_c64", "rps"),
  "ttfb c1 p50 ms": ttfb(name),
  "cpu us/req ns c64": m(name, "ns_c64", "sut_cpu_us_per_req"),
  "cpu us/req st c64": m(name, "st_c64", "sut_cpu_us_per_req"),
  "peak RSS MB": Math.round(peak(name)),
}));
console.table(rows);
const summary = {
  "passthrough stream c64 vs byte pipe (goal >= 0.7)": ratio(
    m("llmux-openai", "st_c64", "rps"),
    m("raw-proxy", "st_c64", "rps"),
  ),
  "passthrough stream c32 vs byte pipe (goal >= 0.7)": ratio(
    m("llmux-openai", "st_c32", "rps"),
    m("raw-proxy", "st_c32", "rps"),
  ),
  "passthrough non-stream c64 vs byte pipe": ratio(
    m("llmux-openai", "ns_c64", "rps"),
    m("raw-proxy", "ns_c64", "rps"),
  ),
  "passthrough stream c64 vs Portkey OpenAI (goal >= 10)": ratio(
    m("llmux-openai", "st_c64", "rps"),
    m("portkey-openai", "st_c64", "rps"),
  ),
  "translation non-stream c64 vs Portkey Anthropic (goal >= 3)": ratio(
    m("llmux-anthropic", "ns_c64", "rps"),
    m("portkey-anthropic", "ns_c64", "rps"),
  ),
  "translation stream c64 vs Portkey Anthropic (goal >= 3)": ratio(
    m("llmux-anthropic", "st_c64", "rps"),
    m("portkey-anthropic", "st_c64", "rps"),
  ),
  "passthrough TTFB added vs direct, ms (goal <= 1.5)":
    ttfb("llmux-openai") && +(ttfb("llmux-openai") - ttfb("direct")).toFixed(2),
  "translation TTFB added vs direct, ms (goal <= 1.5)":
    ttfb("llmux-anthropic") && +(ttfb("llmux-anthropic") - ttfb("direct")).toFixed(2),
  "peak RSS MB llmux-openai / llmux-anthropic / Portkey (goal: below Portkey)": `${Math.round(peak("llmux-openai"))} / ${Math.round(peak("llmux-anthropic"))} / ${Math.round(Math.max(peak("portkey-openai"), peak("portkey-anthropic")))}`,
};
console.table(summary);
// The dialects' goals: CPU per request within 1.2x of chat completions' passthrough (passed
// through) and within 2x of its translation (translated).
const cpu = (name, key) => m(name, key, "sut_cpu_us_per_req");
const dialects = Object.fromEntries(
  ["messages", "responses", "ollama"].flatMap((dialect) =>
    [
      ["pass", "llmux-openai", 1.2],
      ["tr", "llmux-anthropic", 2],
    ].map(([kind, baseline, goal]) => [
      `${dialect} ${kind === "pass" ? "passthrough" : "translated"} CPU/req vs ${baseline} (goal <= ${goal})`,
      ["ns_c64", "st_c64"]
        .map((key) => `${key} ${ratio(cpu(`llmux-${dialect}-${kind}`, key), cpu(baseline, key))}`)
        .join(", "),
    ]),
  ),
);
console.table(dialects);
summary.dialects = dialects;
writeFileSync(join(results, "llmux-summary.json"), JSON.stringify({ rows, summary }, null, 2));
console.log(`results: ${results}`);
