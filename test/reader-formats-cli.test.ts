// `llmux read` and `llmux summarize` on PDFs, feeds and YouTube videos: the built binary run as
// a user would, on local files and loopback servers (one standing in for YouTube through
// LLMUX_YOUTUBE_ORIGIN), and the shared tiny local model for the summaries (its words are
// nonsense: the assertions are on structure).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Served, serve } from "./reader-serve.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { runCli } from "./support/run-cli.ts";
import { reportPages, writePdf } from "./support/write-pdf.ts";

const MODEL = ["--model", "local:../shared/models/stories260K.gguf"];
const dir = makeTempDir("llmux-formats-");
const REPORT = join(dir, "report.pdf");
const SCAN = join(dir, "scan.pdf");
writeFileSync(REPORT, writePdf(reportPages(4), { title: "River Report", author: "A. Hydrologist" }));
writeFileSync(SCAN, writePdf([{ image: true }]));

let server: Served;
before(async () => {
  const youtube = (name: string) => readFileSync(`test/fixtures/youtube/${name}`);
  server = await serve((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/feed.xml") {
      res
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end(readFileSync("test/fixtures/feeds/rss.xml"));
    } else if (url.pathname === "/report.pdf") {
      res.writeHead(200, { "content-type": "application/pdf" }).end(readFileSync(REPORT));
    } else if (url.pathname === "/watch") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(youtube("watch.html"));
    } else if (url.pathname === "/api/timedtext" && url.searchParams.get("lang") === "fr") {
      res.writeHead(200, { "content-type": "text/xml" }).end(youtube("timedtext-fr.xml"));
    } else if (url.pathname === "/api/timedtext" && url.searchParams.get("lang") === "en") {
      res.writeHead(200, { "content-type": "application/json" }).end(youtube("timedtext-en.json3"));
    } else {
      res.writeHead(404).end();
    }
  });
});
after(() => server.close());

/** One line on stderr, no stack trace, the kind's exit code. */
function assertOneLineError(run: { code: number | null; stderr: string }, code: number, pattern: RegExp) {
  assert.equal(run.code, code, run.stderr);
  assert.match(run.stderr, /^llmux: [^\n]+\n$/);
  assert.match(run.stderr, pattern);
}

describe("llmux read on PDFs, feeds and videos", () => {
  test("a local PDF prints as Markdown; a PDF URL as JSON with kind pdf", async () => {
    const markdown = await runCli(["read", REPORT]);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.equal(markdown.stderr, "", "pdf.js says nothing on the terminal");
    assert.match(markdown.stdout, /^# River Report\n\nA\. Hydrologist\n\n## Section 1: Measurements\n\n/);
    assert.match(markdown.stdout, /\n<!-- page 4 -->\n\n## Section 4: Measurements\n/);

    const json = await runCli(["read", `${server.origin}/report.pdf`, "--allow-private", "-f", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const page = JSON.parse(json.stdout);
    assert.equal(page.kind, "pdf");
    assert.equal(page.title, "River Report");
    assert.ok(page.wordCount > 400);
  });

  test("a scanned PDF exits 38 saying it has no text layer", async () => {
    assertOneLineError(await runCli(["read", SCAN]), 38, /no text layer \(a scan\?\)\. llmux does not OCR/);
  });

  test("a feed prints its digest, --limit entries", async () => {
    const run = await runCli(["read", `${server.origin}/feed.xml`, "--allow-private", "--limit", "2"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^# River Works & Friends\n\nhttps:\/\/river\.example\/ · the 2 newest of 4 entries\n/,
    );
    assert.deepEqual(run.stdout.match(/^## .*$/gm), [
      "## [New weir approved by the town council](https://river.example/2024/05/new-weir)",
      "## [Spring discharge twice the summer mean](https://river.example/2024/04/spring-discharge)",
    ]);
    assertOneLineError(await runCli(["read", "x.xml", "--limit", "0"]), 2, /--limit/);
  });

  test("a YouTube link prints the captions in --language, else the locale's", async () => {
    const env = { LLMUX_YOUTUBE_ORIGIN: server.origin };
    const link = "https://www.youtube.com/watch?v=llmuxTest01";
    const french = await runCli(["read", link, "--allow-private", "--language", "French"], { env });
    assert.equal(french.code, 0, french.stderr);
    assert.match(
      french.stdout,
      /^# How We Measure a River\n\nRiver Works · 0:03:32 · [^\n]+\n\n## Transcript: French\n\nChaque matin/,
    );
    const byLocale = await runCli(["read", link, "--allow-private"], {
      env: { ...env, LANG: "fr_FR.UTF-8" },
    });
    assert.match(byLocale.stdout, /## Transcript: French\n/);
    const english = await runCli(["read", link, "--allow-private"], { env: { ...env, LANG: "C.UTF-8" } });
    assert.match(english.stdout, /## Transcript: English\n\nEvery morning at dawn/);
  });

  test("read --help describes the new sources and options", async () => {
    const run = await runCli(["read", "--help"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\.pdf/);
    assert.match(run.stdout, /--limit N\s+feeds \(RSS, Atom\): read the newest N entries/);
    assert.match(run.stdout, /--language LANG\s+videos: captions in this language/);
  });
});

describe("llmux summarize on a PDF and a feed with the tiny local model", () => {
  test("a PDF is summarized end to end: read in the worker, then the model", async () => {
    const run = await runCli(["summarize", REPORT, ...MODEL, "--json"], {
      env: { LLMUX_THREADS: "1" },
      timeoutMs: 180_000,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /Warning/);
    const result = JSON.parse(run.stdout);
    assert.equal(result.title, "River Report");
    assert.match(result.url, /^file:\/\/.*report\.pdf$/);
    assert.ok(result.summary.length > 0);
    assert.ok(result.chunks >= 1);
    assert.ok(result.usage.inputTokens > 500, `${result.usage.inputTokens} tokens read: the whole report`);
    assert.ok(result.timings.extractMs > 0);
  });

  test("a feed is summarized as one digest", async () => {
    const run = await runCli(
      ["summarize", `${server.origin}/feed.xml`, "--allow-private", "--limit", "3", ...MODEL, "--json"],
      {
        env: { LLMUX_THREADS: "1" },
        timeoutMs: 180_000,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.title, "River Works & Friends");
    assert.ok(result.summary.length > 0);
  });
});
