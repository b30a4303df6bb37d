// `llmux read` and `llmux summarize`, the built binary run as a user would: pages served over
// loopback HTTP (and read from local files), models behind loopback provider servers.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Served, serve } from "./reader-serve.ts";
import { type ProviderServer, readFixture, startOpenAIServer } from "./servers/index.ts";
import { CLI, collect, makeHome, runCli } from "./support/run-cli.ts";

const PHYS = "../shared/corpus/dev/scrapinghub-e1c7023ee2148901"; // phys.org news article
const openAIText = readFixture("openai/chat/openai-text");
const answer = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
/** The reply of the recorded stream (a different answer from the whole-body recording). */
const streamed = (openAIText.events as { choices: { delta: { content?: string } }[] }[])
  .map((event) => event.choices[0]?.delta.content ?? "")
  .join("");
const HOURS =
  "# Opening hours\n\nThe library is open from 9 to 5 every weekday, and on Saturdays from 10 to noon.\n";
const APP_SHELL = `<!doctype html><html><head><title>App</title></head><body><div id="app"></div><script src="app.js"></script></body></html>`;

let site: Served;
const servers: ProviderServer[] = [];
before(async () => {
  const html = await readFile(`${PHYS}/page.html`, "utf8");
  site = await serve((req, res) => {
    if (req.url === "/phys") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else if (req.url === "/app") res.writeHead(200, { "content-type": "text/html" }).end(APP_SHELL);
    else if (req.url === "/hours") res.writeHead(200, { "content-type": "text/markdown" }).end(HOURS);
    else if (req.url === "/logo.png") res.writeHead(200, { "content-type": "image/png" }).end("\x89PNG\r\n");
    else if (req.url === "/slow") res.writeHead(200, { "content-type": "text/html" }).write("<html>");
    else res.writeHead(404).end("not here");
  });
});
after(() => Promise.all([site.close(), ...servers.map((s) => s.close())]));

async function openai() {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  servers.push(server);
  return {
    server,
    env: { OPENAI_API_KEY: "sk-test-summarize-cli-1234", OPENAI_BASE_URL: `${server.url}/v1` },
  };
}

const flat = (text: string) => text.replace(/\s+/g, " ").trim();
const firstParagraph = async () =>
  flat((await readFile(`${PHYS}/expected.txt`, "utf8")).split("\n\n").find((p) => p.split(" ").length > 12)!);
const MODEL = ["--model", "openai:gpt-4.1-nano"];

/** One line on stderr, no stack trace, the kind's exit code. */
function assertOneLineError(run: { code: number | null; stderr: string }, code: number, pattern: RegExp) {
  assert.equal(run.code, code, run.stderr);
  assert.match(run.stderr, /^llmux: [^\n]+\n$/);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe("llmux summarize", () => {
  test("prints the model's summary of a page it was sent without the navigation", async () => {
    const { server, env } = await openai();
    const run = await runCli(["summarize", `${site.origin}/phys`, "--allow-private", ...MODEL], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${streamed}\n`);
    assert.equal(server.requests.length, 1);
    const sent = JSON.stringify(server.requests[0]!.json);
    assert.ok(flat(JSON.parse(sent).messages[1].content).includes(await firstParagraph()));
    assert.doesNotMatch(sent, /Week's top|Medical Xpress covers all medical research/);
    assert.equal(server.requests[0]!.json!.stream, true, "the answer streams");
  });

  test("in a terminal the summary is rendered Markdown, with the model and tokens after it", async () => {
    const { env } = await openai();
    const command = `${process.execPath} ${CLI} summarize ${site.origin}/phys --allow-private --model openai:gpt-4.1-nano`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", LLMUX_HOME: makeHome(), TERM: "xterm", ...env },
    });
    const run = await collect(child, undefined);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /\x1b\[1mHoliday Name:\x1b\[22m/, "bold text is bold, without the asterisks");
    assert.match(run.stdout, /openai:gpt-4\.1-nano · \d+ in \/ \d+ out tokens/);
    // The status line: each step drawn over the last on one line, erased before the answer.
    const fetching = run.stdout.indexOf(`\r\x1b[2K\x1b[2mFetching ${site.origin}/phys`);
    const extracting = run.stdout.indexOf(`\r\x1b[2K\x1b[2mExtracting ${site.origin}/phys`);
    const writing = run.stdout.indexOf("\r\x1b[2K\x1b[2mWriting the summary\x1b[22m\r\x1b[2K");
    assert.ok(
      fetching >= 0 && extracting > fetching && writing > extracting,
      JSON.stringify(run.stdout.slice(0, 400)),
    );
    assert.ok(run.stdout.indexOf("Holiday Name") > writing, "erased before the answer starts");
    assert.equal(run.stdout.split("\r\x1b[2K").length, 5, "three steps, each drawn once, then erased");
  });

  test("Ctrl-C in a terminal erases the status line and exits 130", async () => {
    const { env } = await openai();
    const command = `${process.execPath} ${CLI} summarize ${site.origin}/slow --allow-private --model openai:gpt-4.1-nano`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", LLMUX_HOME: makeHome(), TERM: "xterm", ...env },
    });
    child.stdout.on("data", (data: Buffer) => {
      // The terminal's Ctrl-C, once the status line is up.
      if (data.toString().includes("Fetching ")) child.stdin.write("\x03");
    });
    const run = await collect(child, undefined);
    assert.equal(run.code, 130, run.stdout);
    assert.ok(run.stdout.endsWith("\r\x1b[2K"), JSON.stringify(run.stdout));
  });

  test("piped, stderr gets no status line", async () => {
    const { env } = await openai();
    const run = await runCli(["summarize", `${site.origin}/phys`, "--allow-private", ...MODEL], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
  });

  test("the cache: a second run is answered from it, marked cached, at no cost; --no-cache and llmux cache clear", async () => {
    const { server, env } = await openai();
    const home = makeHome();
    const summarizeJson = (...extra: string[]) =>
      runCli(["summarize", `${site.origin}/phys`, "--allow-private", "--json", ...MODEL, ...extra], {
        env,
        home,
      });
    const first = await summarizeJson();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).cached, false);
    assert.equal(server.requests.length, 1);

    const hit = await summarizeJson();
    assert.equal(hit.code, 0, hit.stderr);
    const cached = JSON.parse(hit.stdout);
    assert.equal(server.requests.length, 1, "no model call");
    assert.equal(cached.cached, true);
    assert.equal(cached.costUsd, 0);
    assert.deepEqual(cached.usage, { inputTokens: 0, outputTokens: 0 });
    assert.equal(cached.summary, JSON.parse(first.stdout).summary);
    assert.equal(hit.stderr, "llmux: cached summary, no model called (--no-cache to write it again)\n");

    const fresh = await summarizeJson("--no-cache");
    assert.equal(JSON.parse(fresh.stdout).cached, false);
    assert.equal(server.requests.length, 2, "--no-cache reads no cache");
    const other = await summarizeJson("--length", "long");
    assert.equal(JSON.parse(other.stdout).cached, false, "another length is another summary");

    const shown = await runCli(["cache"], { home });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Summary cache: 2 entries, [\d.]+ KB of 50\.0 MB, in .*llmux\.db\n$/);
    const stats = JSON.parse((await runCli(["cache", "--json"], { home })).stdout);
    assert.equal(stats.entries, 2);
    assert.equal(stats.maxBytes, 50_000_000);
    const cleared = await runCli(["cache", "clear"], { home });
    assert.equal(cleared.stdout, "Removed 2 cache entries.\n");
    assert.equal(JSON.parse((await summarizeJson()).stdout).cached, false, "cleared");
    assertOneLineError(await runCli(["cache", "empty"], { home }), 2, /llmux cache clear/);
  });

  test("a page already shorter than the length asked for is printed as it is, without a model call", async () => {
    const { server, env } = await openai();
    const run = await runCli(["summarize", `${site.origin}/hours`, "--allow-private", "--json", ...MODEL], {
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.verbatim, true);
    assert.equal(result.summary, HOURS.trim());
    assert.equal(result.chunks, 0);
    assert.equal(server.requests.length, 0);
    assert.match(
      run.stderr,
      /^llmux: the content is already shorter than the length asked for: printed as it is/,
    );

    const target = await runCli(
      ["summarize", `${site.origin}/phys`, "--allow-private", "--length", "1500", ...MODEL],
      { env },
    );
    assert.equal(target.code, 0, target.stderr);
    assert.match(JSON.stringify(server.requests[0]!.json), /about 1500 characters/);
  });

  test("--json prints the documented object", async () => {
    const { env } = await openai();
    const run = await runCli(["summarize", `${site.origin}/phys`, "--allow-private", "--json", ...MODEL], {
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(result), [
      "url",
      "title",
      "summary",
      "model",
      "usage",
      "costUsd",
      "chunks",
      "cached",
      "verbatim",
      "timings",
    ]);
    assert.equal(result.url, `${site.origin}/phys`);
    assert.match(result.title, /Hibernating astronauts/);
    assert.equal(result.summary, answer.trim());
    assert.equal(result.model, "openai:gpt-4.1-nano");
    assert.deepEqual(result.usage, { inputTokens: 16, outputTokens: 363 });
    assert.ok(result.costUsd > 0);
    assert.equal(result.chunks, 1);
    assert.deepEqual(Object.keys(result.timings), ["fetchMs", "extractMs", "llmMs"]);
  });

  test("-o writes the summary to a file, atomically, and nothing to stdout", async () => {
    const { env } = await openai();
    const home = makeHome();
    const file = join(home, "out", "summary.md");
    const run = await runCli(["summarize", `${site.origin}/phys`, "--allow-private", "-o", file, ...MODEL], {
      env,
      home,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(readFileSync(file, "utf8"), `${answer.trim()}\n`);
  });

  test("several sources: one failing is reported on its own line, the others still print, exit 40", async () => {
    const { env } = await openai();
    const missing = `${site.origin}/missing`;
    const run = await runCli(["summarize", missing, `${site.origin}/phys`, "--allow-private", ...MODEL], {
      env,
    });
    assert.equal(run.code, 40, run.stderr);
    assert.match(run.stdout, /^# Hibernating astronauts[^\n]*\nhttp:\/\/127\.0\.0\.1:\d+\/phys\n\n/);
    assert.ok(run.stdout.includes(answer.trim()));
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0]!.startsWith(`llmux: ${missing}: `), lines[0]);
    assert.match(lines[0]!, /404/);
  });

  test("several sources as JSON Lines; when all fail the exit code is the first error's", async () => {
    const { env } = await openai();
    const good = await runCli(
      ["summarize", `${site.origin}/phys`, `${site.origin}/phys`, "--allow-private", "--json", ...MODEL],
      { env },
    );
    assert.equal(good.code, 0, good.stderr);
    const lines = good.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    for (const line of lines) assert.equal(JSON.parse(line).summary, answer.trim());

    const bad = await runCli(
      ["summarize", `${site.origin}/a`, `${site.origin}/b`, "--allow-private", ...MODEL],
      { env },
    );
    assert.equal(bad.code, 33, bad.stderr);
    assert.equal(bad.stderr.trimEnd().split("\n").length, 2);
    assert.equal(bad.stdout, "");
  });

  test("a private address without --allow-private, and a missing page, fail in one line", async () => {
    const { env } = await openai();
    assertOneLineError(
      await runCli(["summarize", `${site.origin}/phys`, ...MODEL], { env }),
      36,
      /--allow-private/,
    );
    assertOneLineError(
      await runCli(["summarize", `${site.origin}/gone`, "--allow-private", ...MODEL], { env }),
      33,
      /404/,
    );
  });

  test("bad options are usage errors", async () => {
    assertOneLineError(await runCli(["summarize"]), 2, /Nothing to summarize/);
    for (const length of ["huge", "20", "1500.5"]) {
      assertOneLineError(
        await runCli(["summarize", "x.html", "--length", length]),
        2,
        /--length must be short, medium, long, xl or a number of characters from 100 to 50000/,
      );
    }
  });

  test("the main job: a shared page from a local file with the shared tiny local model", async () => {
    // A long article: a shorter one would be printed as it is, without the model.
    const page = `${PHYS}/page.html`;
    assert.ok(existsSync(page));
    const run = await runCli(
      ["summarize", page, "--model", "local:../shared/models/stories260K.gguf", "--json"],
      {
        env: { LLMUX_THREADS: "1" },
        timeoutMs: 120_000,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.ok(result.summary.trim().length > 0);
    assert.equal(result.verbatim, false);
    assert.ok(result.usage.outputTokens > 0, "the model wrote it");
    assert.equal(run.stderr, "");
  });
});

describe("llmux read", () => {
  test("prints the article as Markdown, text or JSON", async () => {
    const markdown = await runCli(["read", `${site.origin}/phys`, "--allow-private"]);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /^# Hibernating astronauts/);
    assert.doesNotMatch(markdown.stdout, /Week's top/);

    const text = await runCli(["read", `${PHYS}/page.html`, "--format", "text"]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(flat(text.stdout).includes(await firstParagraph()));

    const json = await runCli(["read", `${site.origin}/phys`, "--allow-private", "-f", "json"]);
    const page = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(page), [
      "url",
      "kind",
      "title",
      "byline",
      "published",
      "lang",
      "markdown",
      "text",
      "wordCount",
    ]);
    assert.ok(page.wordCount > 300);
    assert.ok(flat(page.text).includes(await firstParagraph()));
  });

  test("reads stdin", async () => {
    const run = await runCli(["read", "-", "--format", "text"], {
      stdin: "# Note\n\nPlain text from a pipe.\n",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "# Note\n\nPlain text from a pipe.\n");
  });

  test("each way a page can fail: one line, its own exit code", async () => {
    const closed = await serve(() => {});
    await closed.close();
    const cases: Array<[string[], number, RegExp]> = [
      [[`${site.origin}/phys`], 36, /private|local/],
      [[`http://127.0.0.1:${closed.port}/`, "--allow-private"], 31, /refused|down/],
      [[`${site.origin}/missing`, "--allow-private"], 33, /404/],
      [[`${site.origin}/slow`, "--allow-private", "--timeout", "0.5"], 10, /--timeout/],
      [[`${site.origin}/phys`, "--allow-private", "--max-bytes", "1000"], 35, /--max-bytes/],
      [[`${site.origin}/logo.png`, "--allow-private"], 37, /HTML/],
      [[`${site.origin}/app`, "--allow-private"], 38, /--render may help/],
    ];
    for (const [args, code, pattern] of cases) {
      assertOneLineError(await runCli(["read", ...args]), code, pattern);
    }
  });

  test("a bad format is a usage error", async () => {
    assertOneLineError(await runCli(["read", "x.html", "--format", "pdf"]), 2, /markdown, text or json/);
  });
});
