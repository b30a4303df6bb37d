// Two builds of the gateway under the same load, rounds alternating: this checkout's
// dist/cli/main.js against another's (`--before`), each `llmux serve` pinned to cpu1, forwarding
// chat completions and Anthropic Messages (whole and streamed) to the shared harness's mock.
// For a change's cost on the hot path: the per-round ratio of their CPU per request, median.
//
//   git worktree add /tmp/before REV && ln -s "$PWD/node_modules" /tmp/before/
//   (cd /tmp/before && npx tsc -p tsconfig.build.json) && npm run build
//   npx tsx bench/builds.bench.ts --before /tmp/before/dist/cli/main.js [--rounds 7] [--duration 2]
//
// Needs wrk, taskset and two CPUs.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeTempDir } from "../test/support/make-temp-dir.ts";
import { CLI, makeHome } from "../test/support/run-cli.ts";
import { alternateRounds } from "./support/alternate-rounds.ts";
import { benchOptions } from "./support/bench-options.ts";
import { measureLoad } from "./support/measure-load.ts";
import { median } from "./support/median.ts";
import { startBenchGateway } from "./support/start-bench-gateway.ts";
import { startSharedMock } from "./support/start-shared-mock.ts";
import { writeWrkScript } from "./support/write-wrk-script.ts";

const { rounds, duration, connections } = benchOptions({ rounds: 7, duration: 2, connections: 64 });
const at = process.argv.indexOf("--before");
if (at < 0) throw new Error("Give the other build's CLI: --before /path/to/dist/cli/main.js");
const before = resolve(process.argv[at + 1]!);

// The gateways alone on cpu1, in turn; this process, the mock and wrk on cpu0.
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const mock = await startSharedMock();
// Each its own home (its usage log); each name the client sends is its upstream's model id, so no
// route rewrites the body.
const homeWithAliases = () => {
  const home = makeHome();
  writeFileSync(
    join(home, "config.json"),
    JSON.stringify({ aliases: { mock: "openai:mock", "mock-an": "anthropic:mock-an" } }),
  );
  return home;
};
const env = {
  OPENAI_API_KEY: "sk-mock",
  OPENAI_BASE_URL: mock,
  ANTHROPIC_API_KEY: "sk-ant-mock",
  ANTHROPIC_BASE_URL: mock,
};
const builds = [
  { build: "before", cli: before },
  { build: "after", cli: resolve(CLI) },
];
const gateways = await Promise.all(
  builds.map(async ({ build, cli }) => ({
    build,
    ...(await startBenchGateway(homeWithAliases(), env, cli)),
  })),
);

const hi = [{ role: "user", content: "Hi" }];
const requests = (
  [
    ["chat completions", "/v1/chat/completions", "mock"],
    ["Messages", "/v1/messages", "mock-an"],
  ] as const
).flatMap(([route, path, model]) =>
  [false, true].map((stream) => ({
    request: `${route}, ${stream ? "streamed" : "whole"}`,
    path,
    body: { model, messages: hi, max_tokens: 64, ...(stream && { stream }) },
  })),
);
const dir = makeTempDir("llmux-builds-bench-");
const targets = requests.flatMap(({ request, path, body }, i) => {
  const script = writeWrkScript(join(dir, `${i}.lua`), body);
  return gateways.map(({ build, line, pid }) => ({
    name: `${request} ${build}`,
    request,
    build,
    url: `${line}${path}`,
    pid,
    script,
  }));
});
const results = await alternateRounds(targets, rounds, (target) =>
  measureLoad({
    name: target.name,
    pid: target.pid,
    url: target.url,
    script: target.script,
    connections,
    duration,
  }),
);

console.log(`\n${rounds} rounds of ${duration} s, ${connections} connections; before: ${before}\n`);
console.log("| request | CPU per request, before | after | after / before, median (rounds) |");
console.log("|---|---|---|---|");
for (const { request } of requests) {
  const [was, now] = ["before", "after"].map((build) => results.get(`${request} ${build}`)!);
  const ratios = now!.map((load, round) => load.cpuPerRequestMs / was![round]!.cpuPerRequestMs);
  const cpu = (loads: typeof was) => `${(median(loads!.map((l) => l.cpuPerRequestMs)) * 1000).toFixed(0)} µs`;
  console.log(
    `| ${request} | ${cpu(was)} | ${cpu(now)} | **${median(ratios).toFixed(2)}x** (${ratios.map((r) => r.toFixed(2)).join(", ")}) |`,
  );
}
process.exit(0);
