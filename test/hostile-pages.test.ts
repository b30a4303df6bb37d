// Pages built to stall an extractor, served from loopback: they are refused by their size and
// depth, run out their deadline in a worker, and never stop the gateway from answering others.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isLlmuxError } from "../src/core/errors.ts";
import { loadConfig } from "../src/core/load-config.ts";
import { type Gateway, startGateway } from "../src/gateway/start-gateway.ts";
import { extractInWorker } from "../src/reader/extract-in-worker.ts";
import { type Served, serve } from "./reader-serve.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";
import { DEEPLY_NESTED, SLOW_BUT_BOUNDED } from "./support/hostile-pages.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { runCli } from "./support/run-cli.ts";

let site: Served;
let openai: ProviderServer;
let gateway: Gateway;
before(async () => {
  site = await serve((req, res) => {
    const page = req.url === "/nested" ? DEEPLY_NESTED : SLOW_BUT_BOUNDED;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  openai = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  const home = makeTempDir("llmux-hostile-");
  writeFileSync(join(home, "config.json"), JSON.stringify({ maxRetries: 0 }));
  const config = loadConfig({
    cwd: home,
    env: { LLMUX_HOME: home, OPENAI_API_KEY: "sk-test-hostile-0000", OPENAI_BASE_URL: `${openai.url}/v1` },
  });
  gateway = await startGateway(config, { port: 0, allowPrivateAddresses: true });
});
after(() => Promise.all([site.close(), openai.close(), gateway.close()]));

const summarize = (path: string) =>
  fetch(`${gateway.url}/app/api/summarize`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: `${site.origin}${path}`, model: "openai:gpt-4.1-nano" }),
  });

test("llmux read: a page nested 1,500 deep is refused in one line with its own exit code", async () => {
  const run = await runCli(["read", `${site.origin}/nested`, "--allow-private"]);
  assert.equal(run.code, 39, run.stderr);
  assert.match(
    run.stderr,
    /^llmux: The page nests elements more than 200 deep, far beyond any article\. [^\n]+\n$/,
  );
});

test("the gateway answers a page nested 1,500 deep with a 422 before any model is called", async () => {
  const response = await summarize("/nested");
  assert.equal(response.status, 422);
  const { error } = (await response.json()) as { error: { code: string } };
  assert.equal(error.code, "page_too_complex");
  assert.equal(openai.requests.length, 0);
});

test("while a slow page is extracted, the gateway keeps answering /healthz", async () => {
  let summarized = false;
  const pending = summarize("/slow").then(async (response) => {
    summarized = true;
    return { status: response.status, text: await response.text() };
  });
  // Extraction takes seconds; health checks made meanwhile must come back before it ends.
  let answeredMeanwhile = 0;
  while (!summarized) {
    const health = await fetch(`${gateway.url}/healthz`);
    assert.equal(health.status, 200);
    if (!summarized) answeredMeanwhile++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { status, text } = await pending;
  assert.equal(status, 200);
  assert.match(text, /event: page\n/);
  assert.ok(answeredMeanwhile >= 3, `only ${answeredMeanwhile} health checks answered during extraction`);
});

test("a page that runs past the deadline fails with page_too_complex, and the pool goes on", async () => {
  await assert.rejects(
    extractInWorker(SLOW_BUT_BOUNDED, { deadlineMs: 100 }),
    (error) =>
      isLlmuxError(error) && error.kind === "page_too_complex" && /longer than 0\.1 s/.test(error.message),
  );
  const content = await extractInWorker(
    "<html><head><title>Fine</title></head><body><article><p>A short and ordinary page.</p></article></body></html>",
  );
  assert.equal(content.title, "Fine");
});
