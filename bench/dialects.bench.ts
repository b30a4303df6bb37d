// The client dialects' passthrough routes against chat completions' passthrough, in one gateway
// process under the same load, rounds alternating (gateway.bench.mjs runs each target in its
// own process, minutes apart: on a shared machine its ratios move ±30% from run to run).
// Each route forwards to an upstream speaking it, answering at once with the same content:
// chat completions and Messages to the shared harness's mock, Responses (through Azure OpenAI's
// v1 API, so that one gateway can have both an OpenAI chat and a Responses upstream) and
// Ollama's /api/chat to bench/dialect-mock-upstream.mjs. The figure is the gateway's CPU per
// request, each round's ratio to chat passthrough in that round, and their median.
//
//   npm run build && npx tsx bench/dialects.bench.ts [--rounds 5] [--duration 3] [--connections 64] [--translated]
//
// --translated adds each route translated through the provider layer (Messages to an OpenAI
// upstream, the others to Anthropic) against chat completions translated to Anthropic.
//
// Needs wrk, taskset and two CPUs.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "../test/support/make-temp-dir.ts";
import { makeHome } from "../test/support/run-cli.ts";
import { alternateRounds } from "./support/alternate-rounds.ts";
import { benchOptions } from "./support/bench-options.ts";
import { freePort } from "./support/free-port.ts";
import { measureLoad } from "./support/measure-load.ts";
import { median } from "./support/median.ts";
import { medianLoad } from "./support/median-load.ts";
import { startBenchGateway } from "./support/start-bench-gateway.ts";
import { startBenchProcess } from "./support/start-bench-process.ts";
import { startSharedMock } from "./support/start-shared-mock.ts";
import { writeWrkScript } from "./support/write-wrk-script.ts";

const { rounds, duration, connections } = benchOptions({ rounds: 5, duration: 3, connections: 64 });
// The issue's goals: passthrough within 1.2x chat completions' passthrough, translation within 2x
// chat completions' translation (to Anthropic).
const GOALS = { passthrough: 1.2, translated: 2 };

// The gateway alone on cpu1; this process, the upstreams and wrk on cpu0.
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const mock = await startSharedMock();
const dialectPort = await freePort();
await startBenchProcess([process.execPath, "bench/dialect-mock-upstream.mjs", "--port", String(dialectPort)]);
const dialect = `http://127.0.0.1:${dialectPort}`;

// Each name the client sends is its upstream's model id, so no route rewrites the body.
const home = makeHome();
writeFileSync(
  join(home, "config.json"),
  JSON.stringify({
    aliases: {
      mock: "openai:mock",
      "mock-an": "anthropic:mock-an",
      "mock-rs": "azure:mock-rs",
      "mock-ol": "ollama:mock-ol",
      // Translated: Messages to OpenAI, the others to Anthropic, as gateway.bench.mjs has them.
      "tr-an": "anthropic:mock",
      "tr-oa": "openai:mock",
    },
  }),
);
const { line: gateway, pid: gatewayPid } = await startBenchGateway(home, {
  OPENAI_API_KEY: "sk-mock",
  OPENAI_BASE_URL: mock,
  ANTHROPIC_API_KEY: "sk-ant-mock",
  ANTHROPIC_BASE_URL: mock,
  AZURE_API_KEY: "az-mock",
  AZURE_BASE_URL: `${dialect}/v1`,
  OLLAMA_HOST: dialect,
});

// The shared harness's conversation (harness/bench.mjs), in each dialect.
const system = "You are a helpful assistant.";
const user = { role: "user", content: "Say hello in one short sentence." };
const routes = [
  {
    route: "chat completions",
    path: "/v1/chat/completions",
    models: { passthrough: "mock", translated: "tr-an" },
    body: (model: string, stream: boolean) => ({
      model,
      messages: [{ role: "system", content: system }, user],
      max_tokens: 64,
      temperature: 0.7,
      stream,
    }),
  },
  {
    route: "Messages",
    path: "/v1/messages",
    models: { passthrough: "mock-an", translated: "tr-oa" },
    body: (model: string, stream: boolean) => ({
      model,
      system,
      messages: [user],
      max_tokens: 64,
      temperature: 0.7,
      stream,
    }),
  },
  {
    route: "Responses",
    path: "/v1/responses",
    models: { passthrough: "mock-rs", translated: "tr-an" },
    body: (model: string, stream: boolean) => ({
      model,
      instructions: system,
      input: [user],
      max_output_tokens: 64,
      temperature: 0.7,
      stream,
    }),
  },
  {
    route: "Ollama /api/chat",
    path: "/api/chat",
    models: { passthrough: "mock-ol", translated: "tr-an" },
    body: (model: string, stream: boolean) => ({
      model,
      messages: [{ role: "system", content: system }, user],
      options: { num_predict: 64, temperature: 0.7 },
      stream,
    }),
  },
];

const dir = makeTempDir("llmux-dialects-bench-");
const kinds = process.argv.includes("--translated")
  ? (["passthrough", "translated"] as const)
  : (["passthrough"] as const);
const targets = kinds.flatMap((kind) =>
  routes.flatMap(({ route, path, models, body }) =>
    [false, true].map((stream) => {
      const name = `${route} ${kind}, ${stream ? "streamed" : "whole"}`;
      const request = body(models[kind], stream);
      const script = writeWrkScript(join(dir, `${targetsSlug(name)}.lua`), request, {
        Authorization: "Bearer sk-client",
      });
      const baseline = `chat completions ${kind}, ${stream ? "streamed" : "whole"}`;
      return { name, baseline, goal: GOALS[kind], url: `${gateway}${path}`, script, request };
    }),
  ),
);

function targetsSlug(name: string): string {
  return name.replace(/[^a-z]+/gi, "-").toLowerCase();
}

// Every route answers before it is measured (a 2xx with the upstream's content).
for (const target of targets) {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(target.request),
  });
  const text = await response.text();
  if (!response.ok || !/mock|tok0/.test(text)) throw new Error(`${target.name}: ${response.status} ${text}`);
}

const results = await alternateRounds(targets, rounds, (target) =>
  measureLoad({
    name: target.name,
    pid: gatewayPid,
    url: target.url,
    script: target.script,
    connections,
    duration,
  }),
);

console.log(`\n${rounds} rounds of ${duration} s, ${connections} connections, one gateway process\n`);
console.log("| route | requests/s | gateway CPU per request | vs chat completions, median (rounds) | goal |");
console.log("|---|---|---|---|---|");
for (const target of targets) {
  const loads = results.get(target.name)!;
  const baseline = results.get(target.baseline)!;
  const { rps, cpu } = medianLoad(loads);
  const ratios = loads.map((load, round) => load.cpuPerRequestMs / baseline[round]!.cpuPerRequestMs);
  const isBaseline = target.name === target.baseline;
  const versus = isBaseline
    ? "baseline"
    : `**${median(ratios).toFixed(2)}x** (${ratios.map((r) => r.toFixed(2)).join(", ")})`;
  console.log(
    `| ${target.name} | ${Math.round(rps)} | ${(cpu * 1000).toFixed(0)} µs | ${versus} | ${isBaseline ? "" : `≤ ${target.goal}`} |`,
  );
}

process.exit(0);
