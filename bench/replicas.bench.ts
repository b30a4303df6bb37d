// One gateway replica on PostgreSQL + Redis against one on SQLite, in the same run under the same
// load: requests per second and the gateway's CPU per request (from /proc). Both are the built
// `llmux serve` with a keyed client (an rpm high enough never to limit: each request is still
// counted, in Redis for the replica, in process for SQLite), a loopback OpenAI upstream answering
// a recorded reply, the usage log on. Rounds alternate the two; the median round counts.
//
//   npm run build && npx tsx bench/replicas.bench.ts [--rounds 3] [--duration 5] [--connections 32]
//
// Needs wrk, taskset and two CPUs, redis-server and PostgreSQL (.ci/run installs the last two).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startOpenAIServer } from "../test/servers/index.ts";
import { makeTempDir } from "../test/support/make-temp-dir.ts";
import { makeHome, parseJsonLines, runCli } from "../test/support/run-cli.ts";
import { startPostgres } from "../test/support/start-postgres.ts";
import { startRedis } from "../test/support/start-redis.ts";
import { alternateRounds } from "./support/alternate-rounds.ts";
import { benchOptions } from "./support/bench-options.ts";
import { measureLoad } from "./support/measure-load.ts";
import { medianLoad } from "./support/median-load.ts";
import { startBenchGateway } from "./support/start-bench-gateway.ts";
import { writeWrkScript } from "./support/write-wrk-script.ts";

const { rounds, duration, connections } = benchOptions();

// The gateway under test alone on cpu1; everything else (this process and its upstream, wrk,
// PostgreSQL, Redis) on cpu0, so that the servers' work does not take the gateway's CPU.
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const [postgres, redis, upstream] = await Promise.all([
  startPostgres(),
  startRedis(),
  startOpenAIServer([{ fixture: "openai/chat/openai-text" }]),
]);
const common = { OPENAI_API_KEY: "sk-bench-1234567890", OPENAI_BASE_URL: `${upstream.url}/v1` };
const targets = [
  { name: "SQLite", env: { ...common } as Record<string, string> },
  {
    name: "PostgreSQL + Redis",
    env: { ...common, LLMUX_DATABASE_URL: await postgres.createDatabase(), LLMUX_REDIS_URL: redis.url },
  },
];

const dir = makeTempDir("llmux-replicas-bench-");
const started: { name: string; pid: number; url: string; script: string; stop(): Promise<void> }[] = [];
for (const target of targets) {
  const home = makeHome();
  const created = await runCli(["keys", "create", "--rpm", "100000000", "--json"], { env: target.env, home });
  if (created.code !== 0) throw new Error(created.stderr);
  const { token } = parseJsonLines<{ token: string }>(created.stdout)[0]!;
  const { line: url, pid, stop } = await startBenchGateway(home, target.env);
  const script = writeWrkScript(
    join(dir, `${started.length}.lua`),
    { model: "openai:gpt-4.1-nano", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] },
    { Authorization: `Bearer ${token}` },
  );
  started.push({ name: target.name, pid, url, script, stop });
}

const results = await alternateRounds(started, rounds, (target) =>
  measureLoad({
    name: target.name,
    pid: target.pid,
    url: `${target.url}/v1/chat/completions`,
    script: target.script,
    connections,
    duration,
  }),
);
const rows = started.map(({ name }) => ({ name, ...medianLoad(results.get(name)!) }));
const [sqlite, shared] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(
  `\n${rounds} rounds of ${duration} s, ${connections} connections, non-streaming chat completions, keyed (rpm counted)\n`,
);
console.log(
  "| one replica on | requests/s | gateway CPU per request | gateway CPU busy | requests/s per gateway core |",
);
console.log("|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${Math.round(row.rps)} | ${row.cpu.toFixed(3)} ms | ${Math.round(row.busy * 100)}% | ${Math.round(1000 / row.cpu)} |`,
  );
}
console.log(
  `\nPostgreSQL + Redis / SQLite: ${(shared.rps / sqlite.rps).toFixed(2)}x requests/s, ${(sqlite.cpu / shared.cpu).toFixed(2)}x requests/s per gateway core (goal >= 0.8x), ${(shared.cpu / sqlite.cpu).toFixed(2)}x CPU per request`,
);

for (const gateway of started) await gateway.stop();
await upstream.close();
await redis.stop();
await postgres.stop();
