// What a pool's routing adds: the gateway's CPU per request for a model name served by a
// three-deployment pool (least outstanding, health checks on) against a name aliased to one
// deployment of the same kind, in the same run, the same gateway process and under the same load.
// Both are the built `llmux serve` forwarding to loopback OpenAI-compatible upstreams (three, in
// this process) that answer at once. Rounds alternate the two; the median round counts.
//
//   npm run build && npx tsx bench/pools.bench.ts [--rounds 3] [--duration 5] [--connections 32]
//
// Needs wrk, taskset and two CPUs.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControllableOpenAIServer } from "../test/servers/start-controllable-openai-server.ts";
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

// The gateway alone on cpu1; this process (the upstreams) and wrk on cpu0.
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const upstreams = await Promise.all([0, 1, 2].map(() => startControllableOpenAIServer()));
const home = makeHome();
writeFileSync(
  join(home, "config.json"),
  JSON.stringify({
    endpoints: Object.fromEntries(upstreams.map((up, i) => [`up${i}`, { baseURL: `${up.url}/v1` }])),
    aliases: { single: "up0:m" },
    gateway: { pools: { pooled: { deployments: upstreams.map((_, i) => ({ model: `up${i}:m` })) } } },
  }),
);
const gateway = await startBenchGateway(home);
const url = gateway.line;

const dir = makeTempDir("llmux-pools-bench-");
const targets = [
  { name: "one deployment (alias)", model: "single" },
  { name: "three-deployment pool", model: "pooled" },
].map((target, i) => {
  const script = writeWrkScript(join(dir, `${i}.lua`), {
    model: target.model,
    max_tokens: 16,
    messages: [{ role: "user", content: "Hi" }],
  });
  return { ...target, script };
});

const results = await alternateRounds(targets, rounds, (target) =>
  measureLoad({
    name: target.name,
    pid: gateway.pid,
    url: `${url}/v1/chat/completions`,
    script: target.script,
    connections,
    duration,
  }),
);
const ratios = results
  .get(targets[1]!.name)!
  .map((pool, round) => pool.cpuPerRequestMs / results.get(targets[0]!.name)![round]!.cpuPerRequestMs);
console.log(
  `\n${rounds} rounds of ${duration} s, ${connections} connections, non-streaming chat completions\n`,
);
console.log("| model name served by | requests/s | gateway CPU per request | gateway CPU busy |");
console.log("|---|---|---|---|");
for (const { name } of targets) {
  const all = results.get(name)!;
  const { rps, cpu, busy } = medianLoad(all);
  console.log(`| ${name} | ${Math.round(rps)} | ${cpu.toFixed(3)} ms | ${Math.round(busy * 100)}% |`);
}
console.log(
  `\npool / one deployment, CPU per request: ${median(ratios).toFixed(3)}x median (rounds: ${ratios.map((r) => r.toFixed(3)).join(", ")}; goal < 1.10)`,
);
const served = upstreams.map((up) => up.answered);
console.log(`requests answered per upstream (up0 also serves the alias): ${served.join(", ")}`);

await gateway.stop();
for (const up of upstreams) await up.close();
