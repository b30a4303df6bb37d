// A response-cache hit against a passthrough miss, in the same run under the same load: the
// gateway's CPU per request (from /proc) under saturating load, and the median latency of one
// client asking in turn. Both targets are the built `llmux serve` in front of a loopback OpenAI
// upstream answering a recorded reply (non-streaming, temperature 0, the usage log on); one has
// the cache off (every request goes upstream), the other on and primed (every request is a hit).
// Rounds alternate the two; the median round counts.
//
//   npm run build && npx tsx bench/cache.bench.ts [--rounds 3] [--duration 5] [--connections 32]
//
// Needs wrk, taskset and two CPUs.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startOpenAIServer } from "../test/servers/index.ts";
import { makeTempDir } from "../test/support/make-temp-dir.ts";
import { makeHome } from "../test/support/run-cli.ts";
import { alternateRounds } from "./support/alternate-rounds.ts";
import { benchOptions } from "./support/bench-options.ts";
import { measureLoad } from "./support/measure-load.ts";
import { median } from "./support/median.ts";
import { medianLoad } from "./support/median-load.ts";
import { startBenchGateway } from "./support/start-bench-gateway.ts";
import { writeWrkScript } from "./support/write-wrk-script.ts";

const { rounds, duration, connections } = benchOptions();
const BODY = {
  model: "openai:gpt-4.1-nano",
  temperature: 0,
  max_tokens: 16,
  messages: [{ role: "user", content: "Hi" }],
};

// The gateway under test alone on cpu1; this process, its upstream and wrk on cpu0.
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const upstream = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
const env = { OPENAI_API_KEY: "sk-bench-1234567890", OPENAI_BASE_URL: `${upstream.url}/v1` };
const targets = [
  { name: "passthrough miss (cache off)", cache: false },
  { name: "cache hit", cache: true },
];

const dir = makeTempDir("llmux-cache-bench-");
const script = writeWrkScript(join(dir, "chat.lua"), BODY);
const started: { name: string; pid: number; url: string; stop(): Promise<void> }[] = [];
for (const target of targets) {
  const home = makeHome();
  writeFileSync(join(home, "config.json"), JSON.stringify({ gateway: { cache: { enabled: target.cache } } }));
  const { line: url, pid, stop } = await startBenchGateway(home, env);
  const primed = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(BODY),
  });
  await primed.arrayBuffer();
  const expected = target.cache ? "miss" : null;
  if (primed.status !== 200 || primed.headers.get("x-llmux-cache") !== expected) {
    throw new Error(
      `${target.name}: priming answered ${primed.status}, x-llmux-cache ${primed.headers.get("x-llmux-cache")}`,
    );
  }
  started.push({ name: target.name, pid, url, stop });
}

/** wrk's duration ("812.00us", "1.20ms", "2.01s") in ms. */
function toMs(text: string): number {
  const [, value, unit] = /([\d.]+)(us|ms|s)/.exec(text)!;
  return Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);
}

// CPU per request under load, then the latency of one connection asking in turn.
async function load(target: (typeof started)[number]) {
  const options = {
    name: target.name,
    pid: target.pid,
    url: `${target.url}/v1/chat/completions`,
    script,
    duration,
  };
  const loaded = await measureLoad({ ...options, connections });
  const alone = await measureLoad({ ...options, connections: 1, threads: 1, latency: true });
  return { ...loaded, p50Ms: toMs(/\s50%\s+(\S+)/.exec(alone.report)![1]!) };
}

const results = await alternateRounds(started, rounds, load);
const rows = started.map(({ name }) => {
  const all = results.get(name)!;
  return { name, ...medianLoad(all), p50: median(all.map((r) => r.p50Ms)) };
});
const [miss, hit] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(
  `\n${rounds} rounds of ${duration} s: ${connections} connections for CPU, 1 for latency; non-streaming chat completions\n`,
);
console.log(
  "| target | requests/s | gateway CPU per request | gateway CPU busy | p50 latency, 1 connection |",
);
console.log("|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${Math.round(row.rps)} | ${row.cpu.toFixed(3)} ms | ${Math.round(row.busy * 100)}% | ${row.p50.toFixed(3)} ms |`,
  );
}
console.log(
  `\nhit / miss: ${(hit.cpu / miss.cpu).toFixed(2)}x CPU per request, ${(hit.p50 / miss.p50).toFixed(2)}x p50 latency, ${(hit.rps / miss.rps).toFixed(2)}x requests/s`,
);

for (const gateway of started) await gateway.stop();
await upstream.close();
