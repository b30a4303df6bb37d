import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { LlmuxError } from "../src/core/errors.ts";
import { readPage } from "../src/reader/read-page.ts";
import { type Served, serve } from "./reader-serve.ts";

const CORPUS = "../shared/corpus/dev";
const PHYS = `${CORPUS}/scrapinghub-e1c7023ee2148901`; // phys.org news article
const ARS = `${CORPUS}/readability-ars-1`; // arstechnica article

const APP_SHELL = `<!doctype html><html><head><title>App</title></head><body><div id="app"></div>
<script>
  const text = "The hydrologists measured the river at dawn, when the water ran coldest and clearest. ";
  document.getElementById("app").innerHTML =
    "<article><h1>River report</h1>" + [1, 2, 3].map((n) => "<p>Paragraph " + n + ". " + text.repeat(4) + "</p>").join("") + "</article>";
</script></body></html>`;

let server: Served;
before(async () => {
  const pages: Record<string, string> = {
    "/phys": await readFile(`${PHYS}/page.html`, "utf8"),
    "/ars": await readFile(`${ARS}/page.html`, "utf8"),
    "/app": APP_SHELL,
  };
  server = await serve((req, res) => {
    const page = pages[req.url ?? ""];
    if (page) res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    else res.writeHead(404).end();
  });
});
after(() => server.close());

async function expectedParagraphs(dir: string): Promise<string[]> {
  const expected = await readFile(`${dir}/expected.txt`, "utf8");
  return expected
    .split("\n\n")
    .filter((p) => p.split(" ").length > 12)
    .map(flat);
}

/** Line breaks inside a paragraph depend on the markup; compare words and their order. */
function flat(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

test("reads a real news page: the article is there, navigation and footer are not", async () => {
  const page = await readPage(`${server.origin}/phys`, { allowPrivate: true });
  const paragraphs = await expectedParagraphs(PHYS);
  assert.ok(flat(page.text).includes(paragraphs[0] ?? "?"), "first paragraph");
  assert.ok(flat(page.text).includes(paragraphs.at(-1) ?? "?"), "last paragraph");
  assert.doesNotMatch(page.text, /Week's top|Unread news/);
  assert.doesNotMatch(page.text, /Medical Xpress covers all medical research/);
  assert.match(page.title, /Hibernating astronauts would need smaller spacecraft/);
  assert.ok(page.wordCount > 300);
  assert.match(page.markdown, /^# Hibernating astronauts/);
  assert.equal(page.url, `${server.origin}/phys`);
  assert.ok(page.timings.fetchMs >= 0 && page.timings.extractMs > 0);
});

test("reads a second site with title, byline and absolute links", async () => {
  const page = await readPage(`${server.origin}/ars`, { allowPrivate: true });
  const paragraphs = await expectedParagraphs(ARS);
  for (const paragraph of paragraphs.slice(0, 3)) assert.ok(flat(page.text).includes(paragraph), paragraph);
  assert.doesNotMatch(page.text, /Advertise with us|RSS Feeds|View Mobile Site/);
  assert.equal(page.title, "Just-released Minecraft exploit makes it easy to crash game servers");
  assert.match(page.byline ?? "", /Dan Goodin/);
  assert.match(page.markdown, /\]\(https?:\/\/[^)]+\)/);
  assert.doesNotMatch(page.markdown, /\]\(\/[^)]*\)/, "no root-relative links left");
});

test("without JavaScript an app shell yields nothing, with a hint that --render may help", async () => {
  await assert.rejects(readPage(`${server.origin}/app`, { allowPrivate: true }), (error: unknown) => {
    assert.ok(error instanceof LlmuxError);
    assert.equal(error.kind, "nothing_extracted");
    assert.match(error.hint ?? "", /--render may help/);
    return true;
  });
});

test("with render: true, headless Chromium runs the page's script and the text is read", async () => {
  const page = await readPage(`${server.origin}/app`, {
    allowPrivate: true,
    render: true,
    timeoutMs: 20_000,
  });
  assert.match(page.text, /Paragraph 3\. The hydrologists measured the river at dawn/);
  assert.ok(page.wordCount > 50);
});

test("render keeps the SSRF guard: a page on a public-looking name resolving to loopback is refused", async () => {
  const lookup = ((_host: string, _options: unknown, callback: (...args: unknown[]) => void) =>
    callback(null, [{ address: "127.0.0.1", family: 4 }])) as never;
  await assert.rejects(
    readPage(`http://public.example:${server.port}/app`, { lookup, render: true }),
    (error: unknown) => error instanceof LlmuxError && error.kind === "blocked_address",
  );
});

test("reads a local HTML file and a Markdown file", async () => {
  const page = await readPage(`${ARS}/page.html`);
  assert.equal(page.title, "Just-released Minecraft exploit makes it easy to crash game servers");
  assert.match(page.url, /^file:\/\/.*readability-ars-1\/page\.html$/);
  const readme = await readPage("../shared/corpus/README.md");
  assert.equal(readme.title, "Main-content extraction corpus");
  assert.match(readme.markdown, /## Scorer/);
});

test("reads HTML from stdin", async () => {
  const stdin = Readable.from([await readFile(`${ARS}/page.html`)]);
  const page = await readPage("-", { stdin });
  assert.equal(page.url, "stdin");
  assert.match(page.text, /Minecraft/);
});

test("a missing local file is a clear usage error", async () => {
  await assert.rejects(readPage("./no/such/page.html"), (error: unknown) => {
    assert.ok(error instanceof LlmuxError);
    assert.equal(error.kind, "usage");
    assert.match(error.message, /No such file: \.\/no\/such\/page\.html/);
    return true;
  });
});
