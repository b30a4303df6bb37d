// /healthz latency of a running `llmux serve` while the web app's Summarize is asked, again and
// again, for pages built to stall an HTML extractor (test/support/hostile-pages.ts), against the
// same server idle, in the same run. The gateway runs as its own process (the built CLI), so this
// process's own load does not count.
//   node --import tsx bench/healthz-under-hostile-load.bench.ts [SECONDS=10] [CLI=dist/cli/main.js]
// Give another build's CLI (e.g. of an earlier commit) to compare.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serve } from "../test/reader-serve.ts";
import { startOpenAIServer } from "../test/servers/index.ts";
import { DEEPLY_NESTED, SLOW_BUT_BOUNDED } from "../test/support/hostile-pages.ts";

const SECONDS = Number(process.argv[2] ?? 10);
const CLI = resolve(process.argv[3] ?? "dist/cli/main.js");
const SUMMARIES_AT_ONCE = 4;

const site = await serve((req, res) => {
  res
    .writeHead(200, { "content-type": "text/html; charset=utf-8" })
    .end(req.url === "/nested" ? DEEPLY_NESTED : SLOW_BUT_BOUNDED);
});
const openai = await startOpenAIServer(
  Array.from({ length: 1000 }, () => ({ fixture: "openai/chat/openai-text" })),
);
const home = mkdtempSync(join(tmpdir(), "llmux-bench-hostile-"));
writeFileSync(join(home, "config.json"), JSON.stringify({ maxRetries: 0 }));
const server = spawn(process.execPath, [CLI, "serve", "--port", "0", "--allow-private"], {
  env: {
    PATH: process.env.PATH ?? "",
    LLMUX_HOME: home,
    OPENAI_API_KEY: "sk-bench-hostile-0000",
    OPENAI_BASE_URL: `${openai.url}/v1`,
    LLMUX_MODEL: "openai:gpt-4.1-nano",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
// `llmux serve` prints its address on stdout once it listens.
const base = await new Promise<string>((done, fail) => {
  let text = "";
  server.stdout.on("data", (chunk: Buffer) => {
    text += chunk;
    const url = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(text)?.[1];
    if (url) done(url);
  });
  server.on("exit", () => fail(new Error(`llmux serve exited: ${text}`)));
});

/** /healthz every 20 ms for `seconds`; latencies in ms. */
async function probeHealth(seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    await (await fetch(`${base}/healthz`)).text();
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  return latencies;
}

function describe(name: string, latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(
    `${name.padEnd(34)} n=${String(sorted.length).padStart(4)}  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(7)} ms  max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`,
  );
  return at(0.99);
}

const idleP99 = describe("/healthz, gateway idle", await probeHealth(Math.min(3, SECONDS)));

let stop = false;
const outcomes = new Map<number, number>();
async function summarizeHostilePages(): Promise<void> {
  for (let i = 0; !stop; i++) {
    const response = await fetch(`${base}/app/api/summarize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${site.origin}/${i % 2 ? "nested" : "slow"}` }),
    });
    await response.text();
    outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
  }
}
const load = Array.from({ length: SUMMARIES_AT_ONCE }, summarizeHostilePages);
const loadedP99 = describe("/healthz, hostile pages summarized", await probeHealth(SECONDS));
stop = true;
await Promise.all(load);
console.log(
  `summaries answered meanwhile (status: count): ${[...outcomes].map(([status, n]) => `${status}: ${n}`).join(", ")}`,
);
console.log(`p99 under hostile load / idle: ${(loadedP99 / idleP99).toFixed(1)}x`);

server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
await Promise.all([site.close(), openai.close()]);
rmSync(home, { recursive: true, force: true });
