// The summary cache, end to end: the built `llmux summarize` (dist/cli/main.js) on a corpus page
// served over loopback, with the shared tiny local model, run as a user would: a miss (cache
// cleared first, not timed) against a hit, median of RUNS each; then `--site` on a small site
// of six linked pages: model calls (from the usage log) and wall time, first run and cached run.
// Run: npm run build (or npx tsc -p tsconfig.build.json), then
//      node --import tsx bench/summary-cache.bench.ts [RUNS]   (default 5; 1 thread)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const RUNS = Number(process.argv[2] ?? 5);
const CLI = resolve("dist/cli/main.js");
const MODEL = "local:../shared/models/stories260K.gguf";
const ARTICLE = readFileSync("../shared/corpus/dev/scrapinghub-e1c7023ee2148901/page.html", "utf8");

const page = (title: string, text: string, nav = "") =>
  `<!doctype html><html><head><title>${title}</title></head><body><nav>${nav}</nav><main><article><h1>${title}</h1>${`<p>${text}</p>`.repeat(4)}</article></main></body></html>`;
const NAV = ["about", "products", "pricing", "careers", "blog", "privacy"]
  .map((name) => `<a href="/${name}">${name}</a>`)
  .join(" ");
const SITE: Record<string, string> = {
  "/": page("Acme Kites", "Acme Kites designs and builds kites for beaches, parks and festivals.", NAV),
  "/about": page("About", "Founded in 1998 in Brighton by two sailmakers; forty people work there today."),
  "/products": page("Products", "The Zephyr is a light-wind stunt kite and the Albatross a giant show kite."),
  "/pricing": page("Pricing", "The Dart costs 29 euros, the Zephyr 149 euros, the Albatross 1,900 euros."),
  "/careers": page("Careers", "Acme hires sewing technicians and a kite designer in Brighton."),
  "/blog": page("Blog", "Our kites flew at the Dieppe festival for the tenth year running."),
  "/privacy": page("Privacy", "Your email address is kept for orders only and shared with no one."),
};

const server = createServer((req, res) => {
  const html = req.url === "/article" ? ARTICLE : SITE[req.url ?? ""];
  if (html) res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  else res.writeHead(404).end();
});
await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const home = mkdtempSync(join(tmpdir(), "llmux-bench-cache-"));
const env = { PATH: process.env.PATH ?? "", LLMUX_HOME: home, LLMUX_THREADS: "1" };

/** Runs the CLI (asynchronously, so the page server here can answer), in ms. */
async function llmux(args: string[]): Promise<{ ms: number; stdout: string }> {
  const { spawn } = await import("node:child_process");
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  if (code !== 0) throw new Error(`llmux ${args.join(" ")} exited ${code}: ${stderr}`);
  return { ms: performance.now() - started, stdout };
}
const calls = () =>
  execFileSync(process.execPath, [CLI, "usage", "--json"], { env, encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .reduce((sum, line) => sum + (JSON.parse(line) as { calls: number }).calls, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const summarize = ["summarize", `${origin}/article`, "--allow-private", "--model", MODEL, "--json"];
  const miss: number[] = [];
  const hit: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await llmux(["cache", "clear"]);
    const first = await llmux(summarize);
    const second = await llmux(summarize);
    if (JSON.parse(first.stdout).cached || !JSON.parse(second.stdout).cached)
      throw new Error("not a miss then a hit");
    miss.push(first.ms);
    hit.push(second.ms);
  }
  console.log(
    `llmux summarize (loopback page, tiny model), median of ${RUNS}: miss ${median(miss).toFixed(0)} ms, hit ${median(hit).toFixed(0)} ms (${(median(miss) / median(hit)).toFixed(1)}x)`,
  );

  const site = ["summarize", "--site", `${origin}/`, "--allow-private", "--model", MODEL, "--json"];
  const before = calls();
  const first = await llmux(site);
  const made = calls() - before;
  const again = await llmux(site);
  const result = JSON.parse(first.stdout) as { linkChoice: string; pages: unknown[] };
  console.log(
    `llmux summarize --site (7-page site, --pages 5, tiny model): ${made} model calls, ${first.ms.toFixed(0)} ms, links chosen by ${result.linkChoice}, ${result.pages.length} pages read; cached run: ${calls() - before - made} calls, ${again.ms.toFixed(0)} ms`,
  );
} finally {
  server.close();
  rmSync(home, { recursive: true, force: true });
}
