// The summarizer driven end to end: real corpus pages served over loopback HTTP, read by the
// reader, summarized through loopback provider servers; the assertions are on what the model
// was sent and what came back.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { isLlmuxError } from "../src/core/errors.ts";
import { summarize } from "../src/summarize/summarize.ts";
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

const PHYS = "../shared/corpus/dev/scrapinghub-e1c7023ee2148901"; // phys.org news article
const openAIText = readFixture("openai/chat/openai-text");
const answer = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;

let site: Served;
const servers: ProviderServer[] = [];
before(async () => {
  const html = await readFile(`${PHYS}/page.html`, "utf8");
  site = await serve((req, res) => {
    if (req.url === "/phys") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
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
  const result = await summarize(
    { markdown, title: "Three articles", url: "https://example.com/three" },
    { llmux, model: "openai:gpt-4.1-nano", contextWindow, maxTokensPerChunk: 100 },
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
      { markdown: "Some text worth summarizing.", title: "T" },
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
