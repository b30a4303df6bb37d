// The summarizer driven end to end: real corpus pages served over loopback HTTP, read by the
// reader, summarized through loopback provider servers; the assertions are on what the model
// was sent and what came back.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { isLlmuxError } from "../src/core/errors.ts";
import { createSummaryCache } from "../src/store/create-summary-cache.ts";
import { openDatabase } from "../src/store/open-database.ts";
import { type SummarizeProgress, summarize } from "../src/summarize/summarize.ts";
import { type Served, serve } from "./reader-serve.ts";
import {
  ollamaResponses,
  type ProviderServer,
  type RecordedRequest,
  readFixture,
  startOllamaServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { makeLlmux } from "./support/make-llmux.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const PHYS = "../shared/corpus/dev/scrapinghub-e1c7023ee2148901"; // phys.org news article
const openAIText = readFixture("openai/chat/openai-text");
const answer = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;

let site: Served;
const servers: ProviderServer[] = [];
before(async () => {
  const html = await readFile(`${PHYS}/page.html`, "utf8");
  const rss = await readFile("test/fixtures/feeds/rss.xml");
  site = await serve((req, res) => {
    if (req.url === "/phys") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else if (req.url === "/feed.xml") res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss);
    else res.writeHead(404).end();
  });
});
after(() => Promise.all([site.close(), ...servers.map((s) => s.close())]));

async function openai(script: Parameters<typeof startOpenAIServer>[0]) {
  const server = await startOpenAIServer(script);
  servers.push(server);
  const llmux = makeLlmux({
    OPENAI_API_KEY: "sk-test-summarize-123456",
    OPENAI_BASE_URL: `${server.url}/v1`,
  });
  return { server, llmux };
}

const flat = (text: string) => text.replace(/\s+/g, " ").trim();
const paragraphs = async (dir: string) =>
  (await readFile(`${dir}/expected.txt`, "utf8"))
    .split("\n\n")
    .filter((p) => p.split(" ").length > 12)
    .map(flat);

/** The system and user messages one chat-completions request carried. */
function messages(request: RecordedRequest): { system: string; user: string } {
  const list = request.json!.messages as { role: string; content: string }[];
  return {
    system: list.find((m) => m.role === "system")?.content ?? "",
    user: list.find((m) => m.role === "user")?.content ?? "",
  };
}

test("a news page: the model is sent the article without the navigation, and its reply is the summary", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const result = await summarize(`${site.origin}/phys`, {
    llmux,
    model: "openai:gpt-4.1-nano",
    read: { allowPrivate: true },
  });
  assert.equal(server.requests.length, 1, "a page that fits takes one call");
  const { system, user } = messages(server.requests[0]!);
  const article = await paragraphs(PHYS);
  assert.ok(flat(user).includes(article[0]!), "the first paragraph of the article");
  assert.ok(
    flat(user).includes(article.at(-2)!),
    "its closing paragraph (the last is a formatted reference)",
  );
  assert.doesNotMatch(user, /Week's top|Unread news|Medical Xpress covers all medical research/);
  assert.match(user, /Hibernating astronauts would need smaller spacecraft/);
  assert.match(user, /short Markdown summary/);
  assert.match(system, /navigation/);
  assert.equal(server.requests[0]!.json!.max_tokens, undefined, "no cap that a reasoning model could spend");

  assert.equal(result.summary, answer.trim());
  assert.equal(result.url, `${site.origin}/phys`);
  assert.match(result.title, /Hibernating astronauts/);
  assert.equal(result.model, "openai:gpt-4.1-nano");
  assert.equal(result.chunks, 1);
  assert.deepEqual(result.usage, { inputTokens: 16, outputTokens: 363 });
  assert.ok(result.costUsd !== null && result.costUsd > 0);
  assert.ok(result.timings.extractMs > 0 && result.timings.fetchMs >= 0 && result.timings.llmMs > 0);
});

test("a feed is summarized as one digest: the model sees each entry's link and is asked to keep it", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  await summarize(`${site.origin}/feed.xml`, {
    llmux,
    model: "openai:gpt-4.1-nano",
    read: { allowPrivate: true, limit: 2 },
    // Shorter than the digest, which would otherwise be returned as it is.
    length: 100,
  });
  assert.equal(server.requests.length, 1);
  const { user } = messages(server.requests[0]!);
  const links = [...user.matchAll(/^## \[[^\]]+\]\((https?:[^)\s]+)\)/gm)].map((m) => m[1]);
  assert.equal(links.length, 2, "the two newest entries, each with its link");
  assert.match(user, /Here is the content of the feed "/);
  assert.match(user, /each entry worth reading as a bullet with its Markdown link/);
});

test("onText receives the final answer as it streams", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const deltas: string[] = [];
  const result = await summarize(`${site.origin}/phys`, {
    llmux,
    model: "openai:gpt-4.1-nano",
    read: { allowPrivate: true },
    length: "long",
    language: "French",
    onText: (delta) => deltas.push(delta),
  });
  assert.ok(deltas.length > 10);
  assert.equal(deltas.join("").trim(), result.summary);
  assert.equal(server.requests[0]!.json!.stream, true);
  assert.match(messages(server.requests[0]!).user, /detailed Markdown summary.*Answer in French\.$/s);
});

test("a page too long for the context: parts that fit, notes merged in rounds, then the summary", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const dirs = ["scrapinghub-e1c7023ee2148901", "readability-ars-1", "readability-lwn-1"].map(
    (d) => `../shared/corpus/dev/${d}`,
  );
  const texts = await Promise.all(dirs.map((d) => readFile(`${d}/expected.txt`, "utf8")));
  const markdown = texts.map((text, i) => `# Article ${i + 1}\n\n${text}`).join("\n\n");
  const contextWindow = 1500;
  const progress: SummarizeProgress[] = [];
  const result = await summarize(
    { markdown, title: "Three articles", url: "https://example.com/three" },
    {
      llmux,
      model: "openai:gpt-4.1-nano",
      contextWindow,
      maxTokensPerChunk: 100,
      onProgress: (step) => progress.push(step),
    },
  );
  const sent = server.requests.map(messages);
  const parts = sent.filter((m) => /^Here is part \d+ of \d+ of the page "Three articles"/.test(m.user));
  const merges = sent.filter((m) => /Merge these notes/.test(m.user));
  const finals = sent.filter((m) => /The notes cover the whole page/.test(m.user));
  assert.equal(parts.length, result.chunks);
  assert.ok(result.chunks >= 5, `${result.chunks} parts`);
  assert.ok(merges.length >= 1, "the notes on the parts needed a merging round");
  assert.equal(finals.length, 1);
  assert.equal(sent.length, parts.length + merges.length + 1);
  assert.deepEqual(sent.at(-1), finals[0], "the summary is written last");
  for (const { system, user } of sent) {
    assert.ok(countTokens(system) + countTokens(user) <= contextWindow - 100, "every call fits the context");
  }
  const allParts = flat(parts.map((m) => m.user).join(" "));
  for (const dir of dirs) {
    for (const paragraph of await paragraphs(dir))
      assert.ok(allParts.includes(paragraph), paragraph.slice(0, 80));
  }
  for (const request of server.requests.slice(0, -1)) assert.equal(request.json!.max_tokens, 100);
  assert.equal(result.summary, answer.trim());
  assert.deepEqual(result.usage, { inputTokens: 16 * sent.length, outputTokens: 363 * sent.length });
  // What a status line shows: each part counted from 0 of N, then the merges, then the answer.
  const partSteps = progress.flatMap((p) => (p.step === "parts" ? [p] : []));
  assert.deepEqual(
    partSteps.map((p) => p.done),
    Array.from({ length: result.chunks + 1 }, (_, i) => i),
  );
  assert.ok(partSteps.every((p) => p.total === result.chunks));
  assert.deepEqual(progress[0], { step: "parts", done: 0, total: result.chunks });
  assert.ok(progress.some((p) => p.step === "notes" && p.done === 0));
  assert.deepEqual(progress.at(-1), { step: "answer" });
});

test("Ollama is sent the num_ctx the page was budgeted for", async () => {
  const server = await startOllamaServer([ollamaResponses.chat("The article says hibernation saves mass.")]);
  servers.push(server);
  const llmux = makeLlmux({ OLLAMA_HOST: server.url, OLLAMA_CONTEXT_LENGTH: "4096" });
  const result = await summarize(`${site.origin}/phys`, {
    llmux,
    model: "ollama:llama3.2:1b",
    read: { allowPrivate: true },
  });
  const options = server.requests[0]!.json!.options as Record<string, unknown>;
  assert.equal(options.num_ctx, 4096);
  assert.equal(typeof options.num_predict, "number");
  assert.equal(result.summary, "The article says hibernation saves mass.");
  assert.equal(result.costUsd, 0);
});

test("a failing model call fails the summary with its own error", async () => {
  const { llmux } = await openai([{ status: 401 }]);
  await assert.rejects(
    summarize(
      // Longer than the short length's target, or it would be returned as it is, with no call.
      { markdown: "Some text worth summarizing. ".repeat(40), title: "T" },
      { llmux, model: "openai:gpt-4.1-nano" },
    ),
    (error: unknown) => isLlmuxError(error) && error.kind === "auth",
  );
});

test("a page with no text is nothing to summarize", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  await assert.rejects(
    summarize(
      { markdown: "  ![logo](https://example.com/logo.png)\n" },
      { llmux, model: "openai:gpt-4.1-nano" },
    ),
    (error: unknown) => isLlmuxError(error) && error.kind === "nothing_extracted",
  );
  assert.equal(server.requests.length, 0);
});

test("the cache: the same content, prompt, model, length and language is summarized once", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const db = openDatabase(join(makeTempDir("llmux-summarize-cache-"), "llmux.db"));
  const cache = createSummaryCache(db, { maxBytes: 1_000_000 });
  const job = { llmux, model: "openai:gpt-4.1-nano", read: { allowPrivate: true }, cache };
  const first = await summarize(`${site.origin}/phys`, job);
  assert.equal(first.cached, false);
  assert.equal(server.requests.length, 1);

  const deltas: string[] = [];
  const second = await summarize(`${site.origin}/phys`, { ...job, onText: (delta) => deltas.push(delta) });
  assert.equal(server.requests.length, 1, "no model call");
  assert.equal(second.cached, true);
  assert.equal(second.summary, first.summary);
  assert.equal(deltas.join(""), first.summary, "a hit is still given to onText");
  assert.equal(second.costUsd, 0);
  assert.deepEqual(second.usage, { inputTokens: 0, outputTokens: 0 });
  assert.equal(second.chunks, first.chunks);
  assert.match(second.title, /Hibernating astronauts/);

  // Each of these changes the answer, so each is a miss (and then a hit of its own).
  const variants = [
    { length: "long" as const },
    { length: 1500 },
    { language: "French" },
    { prompt: "List the names" },
  ];
  for (const variant of variants) {
    const calls: number = server.requests.length;
    assert.equal((await summarize(`${site.origin}/phys`, { ...job, ...variant })).cached, false);
    assert.equal(server.requests.length, calls + 1, JSON.stringify(variant));
  }
  for (const variant of variants) {
    assert.equal((await summarize(`${site.origin}/phys`, { ...job, ...variant })).cached, true);
  }
  const other = await summarize(`${site.origin}/phys`, { ...job, model: "openai:gpt-4.1-mini" });
  assert.equal(other.cached, false, "another model");
  const edited = await summarize(
    { markdown: `${await readFile(`${PHYS}/expected.txt`, "utf8")} More.` },
    job,
  );
  assert.equal(edited.cached, false, "other content");
  assert.equal(server.requests.length, 1 + variants.length + 2);
});

test("content shorter than the length asked for is the summary, as it is, without a model call", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const markdown =
    "# Opening hours\n\nThe library is open from 9 to 5, [every weekday](https://example.com/days). On Saturdays it opens at 10 and closes at noon.";
  const deltas: string[] = [];
  const result = await summarize(
    { markdown, title: "Opening hours" },
    { llmux, model: "openai:gpt-4.1-nano", onText: (delta) => deltas.push(delta) },
  );
  assert.equal(server.requests.length, 0);
  assert.equal(result.verbatim, true);
  assert.equal(
    result.summary,
    "# Opening hours\n\nThe library is open from 9 to 5, every weekday. On Saturdays it opens at 10 and closes at noon.",
  );
  assert.equal(deltas.join(""), result.summary);
  assert.equal(result.chunks, 0);
  assert.equal(result.costUsd, 0);

  // Longer than a 100-character target, or in another language: the model writes it.
  for (const options of [{ length: 100 }, { language: "French" }]) {
    const calls: number = server.requests.length;
    const written = await summarize({ markdown }, { llmux, model: "openai:gpt-4.1-nano", ...options });
    assert.equal(written.verbatim, false);
    assert.equal(server.requests.length, calls + 1);
  }
  assert.match(messages(server.requests[0]!).user, /about 100 characters/);
});

test("any get/set store is a cache, a Map too", async () => {
  const { server, llmux } = await openai([{ fixture: "openai/chat/openai-text" }]);
  const cache = new Map<string, string>();
  const job = { llmux, model: "openai:gpt-4.1-nano", read: { allowPrivate: true }, cache };
  await summarize(`${site.origin}/phys`, job);
  assert.equal(cache.size, 1);
  assert.equal((await summarize(`${site.origin}/phys`, job)).cached, true);
  assert.equal(server.requests.length, 1);
  cache.set([...cache.keys()][0]!, "not the JSON of a summary");
  assert.equal(
    (await summarize(`${site.origin}/phys`, job)).cached,
    false,
    "an entry of another shape is a miss",
  );
  assert.equal(server.requests.length, 2);
});
