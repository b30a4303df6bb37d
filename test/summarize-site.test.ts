// `summarize --site` and summarizeSite(): a small site of linked pages on a loopback server; the
// model behind a loopback OpenAI server (scripted link choices) or the shared tiny local model.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { summarizeSite } from "../src/summarize/summarize-site.ts";
import { type Served, serve } from "./reader-serve.ts";
import {
  type ProviderServer,
  type RecordedRequest,
  readFixture,
  startOpenAIServer,
} from "./servers/index.ts";
import { makeLlmux } from "./support/make-llmux.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";

const page = (title: string, text: string, nav = "") =>
  `<!doctype html><html><head><title>${title}</title></head><body><nav>${nav}</nav><main><article><h1>${title}</h1>${`<p>${text}</p>`.repeat(3)}</article></main><footer><a href="/privacy">Privacy</a></footer></body></html>`;
const NAV = [
  '<a href="/about">About us</a>',
  '<a href="/products#top">Products</a>',
  '<a href="/pricing">Pricing</a>',
  '<a href="/careers">Careers</a>',
  '<a href="/gone">Old page</a>',
  '<a href="mailto:hi@acme.test">Mail us</a>',
  '<a href="https://example.com/">Partner</a>',
  '<a href="/logo.png">Logo</a>',
].join(" ");
const PAGES: Record<string, string> = {
  "/": page(
    "Acme Kites",
    "Acme Kites designs and builds kites for beaches, parks and festivals, from small stunt kites to giant show kites.",
    NAV,
  ),
  "/about": page(
    "About Acme",
    "Acme Kites was founded in 1998 in Brighton by two sailmakers; forty people work there.",
  ),
  "/products": page("Products", "The Zephyr is a light-wind stunt kite, the Albatross a giant show kite."),
  "/pricing": page("Pricing", "The Dart costs 29 euros, the Zephyr 149 euros and the Albatross 1,900 euros."),
  "/careers": page("Careers", "Acme hires sewing technicians and a kite designer in Brighton."),
  "/privacy": page("Privacy", "We keep your email address for orders only and share it with no one."),
};

let site: Served;
let fetched: string[] = [];
const servers: ProviderServer[] = [];
before(async () => {
  site = await serve((req, res) => {
    fetched.push(req.url ?? "");
    const html = PAGES[req.url ?? ""];
    if (html) res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else res.writeHead(404).end("not here");
  });
});
after(() => Promise.all([site.close(), ...servers.map((s) => s.close())]));

/** A whole chat completion whose message is `content`, as OpenAI sends it. */
const completion = (content: string) => ({
  id: "chatcmpl-site",
  object: "chat.completion",
  created: 1_764_000_000,
  model: "gpt-4.1-nano",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 300, completion_tokens: 40, total_tokens: 340 },
});
const summaryAnswer = (
  readFixture("openai/chat/openai-text").json as { choices: { message: { content: string } }[] }
).choices[0]!.message.content;

async function openai(choices: unknown[]) {
  const server = await startOpenAIServer([
    ...choices.map((content) => ({
      json: completion(typeof content === "string" ? content : JSON.stringify(content)),
    })),
    { fixture: "openai/chat/openai-text" },
  ]);
  servers.push(server);
  const llmux = makeLlmux({
    OPENAI_API_KEY: "sk-test-summarize-site-1",
    OPENAI_BASE_URL: `${server.url}/v1`,
  });
  return { server, llmux };
}
const userMessage = (request: RecordedRequest) =>
  (request.json!.messages as { role: string; content: string }[]).find((m) => m.role === "user")!.content;
const systemMessage = (request: RecordedRequest) =>
  (request.json!.messages as { role: string; content: string }[]).find((m) => m.role === "system")!.content;

describe("summarizeSite", () => {
  test("the model chooses among the same-site links (JSON schema); those pages are read and summarized together", async () => {
    fetched = [];
    const { server, llmux } = await openai([
      {
        links: [
          { url: "/about", reason: "who they are" },
          { url: `${site.origin}/pricing`, reason: "prices" },
          { url: `${site.origin}/elsewhere`, reason: "not a link of the page" },
        ],
      },
    ]);
    const result = await summarizeSite(`${site.origin}/`, {
      llmux,
      model: "openai:gpt-4.1-nano",
      read: { allowPrivate: true },
      pages: 3,
    });
    assert.equal(server.requests.length, 2, "one call to choose, one to write");
    const [choose, write] = server.requests as [RecordedRequest, RecordedRequest];
    const format = choose.json!.response_format as { type: string; json_schema: { schema: unknown } };
    assert.equal(format.type, "json_schema");
    assert.match(JSON.stringify(format.json_schema.schema), /"links".*"url".*"reason"/);
    const offered = userMessage(choose);
    for (const path of ["/about", "/products", "/pricing", "/careers", "/gone", "/privacy"]) {
      assert.ok(
        offered.includes(`${site.origin}${path}\n`) || offered.includes(`${site.origin}${path} (`),
        path,
      );
    }
    assert.doesNotMatch(offered, /mailto|example\.com|logo\.png|#top/);
    assert.match(offered, /at most 3/);

    assert.deepEqual(fetched.sort(), ["/", "/", "/about", "/pricing"]);
    const sent = userMessage(write);
    assert.match(sent, /the website "Acme Kites"/);
    assert.match(sent, /founded in 1998/);
    assert.match(sent, /Albatross 1,900 euros/);
    assert.doesNotMatch(sent, /sewing technicians|light-wind stunt kite/, "pages not chosen are not read");
    assert.match(systemMessage(write), /overviews of websites/);
    assert.match(sent, /Write an overview of this website/);

    assert.equal(result.linkChoice, "model");
    assert.deepEqual(
      result.pages.map(({ url, reason, error }) => ({ url, reason, error })),
      [
        { url: `${site.origin}/`, reason: "the page given", error: null },
        { url: `${site.origin}/about`, reason: "who they are", error: null },
        { url: `${site.origin}/pricing`, reason: "prices", error: null },
      ],
    );
    assert.equal(result.summary, summaryAnswer.trim());
    assert.deepEqual(result.usage, { inputTokens: 300 + 16, outputTokens: 40 + 363 }, "both calls counted");
  });

  test("--brochure: the course's brochure prompt; a chosen page that fails is skipped and said", async () => {
    const { server, llmux } = await openai([
      {
        links: [
          { url: "/gone", reason: "old" },
          { url: "/careers", reason: "jobs" },
        ],
      },
    ]);
    const notes: string[] = [];
    const result = await summarizeSite(`${site.origin}/`, {
      llmux,
      model: "openai:gpt-4.1-nano",
      read: { allowPrivate: true },
      brochure: true,
      onNote: (note) => notes.push(note),
    });
    const write = server.requests.at(-1)!;
    assert.match(
      systemMessage(write),
      /^You are an assistant that analyzes the contents of several relevant pages from a company website and creates a short brochure/,
    );
    assert.match(userMessage(write), /Write a short brochure about the company in Markdown/);
    assert.match(userMessage(write), /sewing technicians/);
    assert.deepEqual(notes.length, 1);
    assert.match(notes[0]!, new RegExp(`^skipped ${site.origin}/gone: .*404`));
    assert.match(result.pages[1]!.error!, /404/);
    assert.equal(result.pages[2]!.error, null);
  });

  test("an answer that is not the schema's JSON gets one retry with the error; then links are chosen by keywords", async () => {
    const { server, llmux } = await openai([
      "Sure! The best links are /about and /pricing.",
      '{"links": [{"url": "/ab',
    ]);
    const notes: string[] = [];
    const result = await summarizeSite(`${site.origin}/`, {
      llmux,
      model: "openai:gpt-4.1-nano",
      read: { allowPrivate: true },
      pages: 2,
      onNote: (note) => notes.push(note),
    });
    assert.equal(server.requests.length, 3, "two tries to choose, then the summary");
    const retry = userMessage(server.requests[1]!);
    assert.match(
      retry,
      /Your previous answer could not be used: it was not valid JSON for the schema: .+\. Answer again/,
    );
    assert.doesNotMatch(userMessage(server.requests[0]!), /previous answer/);
    assert.equal(result.linkChoice, "keywords");
    assert.deepEqual(
      result.pages.slice(1).map((p) => p.url),
      [`${site.origin}/about`, `${site.origin}/products`],
    );
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /did not choose the pages to read \(its answer was unusable twice: .*\); 2 chosen by keywords/,
    );
  });

  test("JSON naming none of the page's links is retried like invalid JSON", async () => {
    const { server, llmux } = await openai([
      { links: [{ url: "https://example.com/about", reason: "x" }] },
      { links: [{ url: "/careers", reason: "jobs" }] },
    ]);
    const result = await summarizeSite(`${site.origin}/`, {
      llmux,
      model: "openai:gpt-4.1-nano",
      read: { allowPrivate: true },
    });
    assert.match(userMessage(server.requests[1]!), /none of the URLs in it is one of the links listed/);
    assert.equal(result.linkChoice, "model");
    assert.deepEqual(
      result.pages.map((p) => p.title),
      ["Acme Kites", "Careers"],
    );
  });

  test("a page that is not a web address is a usage error", async () => {
    const { llmux } = await openai([]);
    await assert.rejects(
      summarizeSite("notes.html", { llmux, model: "openai:gpt-4.1-nano" }),
      /--site needs a web address/,
    );
  });
});

describe("llmux summarize --site", () => {
  test("on the tiny local model: pages chosen, read and summarized; a second run comes from the cache", async () => {
    const home = makeHome();
    const run = () =>
      runCli(
        [
          "summarize",
          "--site",
          `${site.origin}/`,
          "--pages",
          "2",
          "--allow-private",
          "--json",
          "--model",
          "local:../shared/models/stories260K.gguf",
        ],
        { home, env: { LLMUX_THREADS: "1" }, timeoutMs: 120_000 },
      );
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    const [result] = parseJsonLines(first.stdout);
    assert.ok(result!.summary.length > 0);
    assert.equal(result!.cached, false);
    assert.ok(["model", "keywords"].includes(result!.linkChoice));
    assert.equal(result!.pages[0].url, `${site.origin}/`);
    assert.ok(result!.pages.length >= 2 && result!.pages.length <= 3, JSON.stringify(result!.pages));
    // The tiny model writes stories, not links: when it failed, stderr says how the pages were chosen.
    if (result!.linkChoice === "keywords") assert.match(first.stderr, /chosen by keywords/);
    const calls = (home: string) =>
      runCli(["usage", "--json"], { home }).then((usage) =>
        parseJsonLines(usage.stdout).reduce((sum, row) => sum + row.calls, 0),
      );
    const made = await calls(home);
    assert.ok(made >= 2 && made <= 3, `${made} calls: one or two to choose, one to write`);

    const second = await run();
    assert.equal(second.code, 0, second.stderr);
    const [again] = parseJsonLines(second.stdout);
    assert.equal(again!.cached, true);
    assert.equal(again!.summary, result!.summary);
    assert.deepEqual(again!.pages, result!.pages);
    assert.equal(await calls(home), made, "no model call");
    assert.match(second.stderr, /cached summary/);
  });

  test("bad combinations are usage errors", async () => {
    for (const [args, message] of [
      [["summarize", "x.html", "--pages", "3"], /--pages works with --site/],
      [["summarize", "--site", "https://a.test", "https://b.test"], /one site at a time/],
      [["summarize", "--brochure", "notes.html"], /--site needs a web address, got "notes.html"/],
      [
        ["summarize", "--site", "https://a.test", "--pages", "0"],
        /--pages must be a whole number >= 1 and <= 20/,
      ],
    ] as const) {
      const run = await runCli([...args, "--model", "openai:gpt-4.1-nano"], {
        env: { OPENAI_API_KEY: "sk-test-not-used-123" },
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^llmux: [^\n]+\n$/);
      assert.match(run.stderr, message);
    }
  });
});
