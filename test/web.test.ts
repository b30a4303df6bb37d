// The chat web UI in a real Chromium, against the real gateway (`llmux serve` in-process) and
// loopback provider servers replaying recorded responses.
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { serve } from "./reader-serve.ts";
import {
  type ProviderServer,
  type ResponseSpec,
  startAnthropicServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { recordedAnthropicStreamText, recordedOpenAIStream } from "./servers/recorded-streams.ts";
import { startApp, type TestApp, useBrowserSession } from "./web-support.ts";

const { text: openAIAnswer, usage: openAIUsage } = recordedOpenAIStream("openai/chat/openai-text");
const anthropicAnswer = recordedAnthropicStreamText("anthropic/anthropic-text");

const OPENAI_MODEL = "openai:gpt-4.1-nano";
const ANTHROPIC_MODEL = "anthropic:claude-sonnet-4-5";

const browser = useBrowserSession();

async function openAI(script: ResponseSpec[]): Promise<ProviderServer> {
  const server = await startOpenAIServer(script);
  browser.cleanup(() => server.close());
  return server;
}

function openAIEnv(server: ProviderServer): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-test-web-openai-key-123456",
    OPENAI_BASE_URL: `${server.url}/v1`,
    LLMUX_MODEL: OPENAI_MODEL,
  };
}

async function app(env: Record<string, string>, home?: string): Promise<TestApp> {
  const started = await startApp(env, home);
  browser.cleanup(async () => {
    await started.gateway.close();
    if (!home) rmSync(started.home, { recursive: true, force: true });
  });
  return started;
}

async function newPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await browser.open(url);
  // The model list has loaded once the picker shows the default model.
  await opened.page.waitForFunction(
    () => (document.querySelector("#chat-model") as HTMLSelectElement | null)?.value,
  );
  return opened;
}

/** The chunks of an OpenAI stream whose reply is `text`, with a usage chunk at the end. */
function openAIChunks(text: string): unknown[] {
  const base = { id: "chatcmpl-web", object: "chat.completion.chunk", created: 1, model: "gpt-4.1-nano" };
  return [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...text.match(/[\s\S]{1,12}/g)!.map((part) => ({
      ...base,
      choices: [{ index: 0, delta: { content: part }, finish_reason: null }],
    })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 21, total_tokens: 30 } },
  ];
}

describe("chat", () => {
  test("a message streams back as Markdown, with model, tokens, cost and timings; Shift+Enter adds a line", async () => {
    const server = await openAI([{ fixture: "openai/chat/openai-text", chunkDelayMs: 4 }]);
    const { gateway } = await app(openAIEnv(server));
    const { page, errors } = await newPage(gateway.url);

    // The picker groups the models by how they are reached and starts on LLMUX_MODEL.
    assert.equal(await page.inputValue("#chat-model"), OPENAI_MODEL);
    const groups = await page.$$eval("#chat-model optgroup", (els) =>
      els.map((e) => e.getAttribute("label")),
    );
    assert.deepEqual(groups, [
      "Frontier cloud",
      "Managed cloud",
      "Open-weight via a server",
      "In-process local",
    ]);
    const facts = await page.textContent("#chat-model-facts");
    assert.match(facts ?? "", /^Ready · 1M context · \$0\.1 in \/ \$0\.4 out per 1M tokens/);

    // Record the reply's length on every frame, to see it grow rather than appear at once.
    // (A string: tsx would wrap a named function in a helper the page does not have.)
    await page.evaluate(`{
      window.lengths = [];
      const sample = () => {
        const streaming = document.querySelector(".message.streaming .markdown");
        if (streaming) window.lengths.push(streaming.textContent.length);
        requestAnimationFrame(sample);
      };
      sample();
    }`);
    await page.focus("#chat-input");
    await page.keyboard.type("Invent a holiday");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("with traditions");
    await page.keyboard.press("Enter");

    await page.waitForSelector(".message.streaming");
    assert.ok(await page.isVisible("button.stop"), "Stop shows while the reply streams");
    const reply = page.locator(".message.assistant:not(.streaming)").last();
    await reply.locator(".call-stats").waitFor();
    // The list followed the reply: its end, with the stats, is in view.
    await page.waitForFunction(() => {
      const list = document.querySelector(".messages")!;
      return (
        list.scrollHeight > list.clientHeight && list.scrollHeight - list.scrollTop - list.clientHeight < 2
      );
    });
    const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
    assert.ok(
      new Set(lengths.filter((n) => n > 0)).size >= 3,
      `the reply grew in steps: ${lengths.join(",")}`,
    );

    assert.equal(await page.textContent(".message.user .user-text"), "Invent a holiday\nwith traditions");
    const sent = server.requests[0]!.json as {
      messages: { role: string; content: string }[];
      stream: boolean;
      stream_options?: { include_usage: boolean };
    };
    assert.deepEqual(sent.messages, [{ role: "user", content: "Invent a holiday\nwith traditions" }]);
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });

    // Markdown: bold and a numbered list, as HTML, and the text the model sent.
    assert.ok((await reply.locator(".markdown strong").count()) > 3);
    assert.ok((await reply.locator(".markdown ol li, .markdown ul li").count()) >= 3);
    const shown = (await reply.locator(".markdown").textContent()) ?? "";
    assert.ok(shown.includes("Harmony Day"));
    assert.equal(
      shown.replace(/\s+/g, " ").length > openAIAnswer.replace(/[*#\s]+/g, " ").length * 0.8,
      true,
    );

    assert.equal(await reply.locator(".stat-model").textContent(), OPENAI_MODEL);
    assert.equal(
      await reply.locator(".stat-tokens").textContent(),
      `${openAIUsage.prompt_tokens} in / ${openAIUsage.completion_tokens} out`,
    );
    // gpt-4.1-nano: $0.10 in, $0.40 out per million tokens.
    const cost = (openAIUsage.prompt_tokens * 0.1 + openAIUsage.completion_tokens * 0.4) / 1e6;
    assert.equal(await reply.locator(".stat-cost").textContent(), `$${cost.toPrecision(2)}`);
    assert.match((await reply.locator(".stat-ttft").textContent()) ?? "", /^\d+\.\d\d s$/);
    assert.match((await reply.locator(".stat-total").textContent()) ?? "", /^\d+\.\d\d s$/);
    assert.deepEqual(errors, []);
  });

  test("a reply whose input was partly cached costs the cached part at the cache rate", async () => {
    const chunks = openAIChunks("Cached.");
    chunks[chunks.length - 1] = {
      ...(chunks.at(-1) as object),
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 30,
        total_tokens: 1230,
        prompt_tokens_details: { cached_tokens: 1000 },
      },
    };
    const server = await openAI([{ chunks }]);
    const prices = { [OPENAI_MODEL]: { inputPerMTok: 1, cachedInputPerMTok: 0.25, outputPerMTok: 4 } };
    const started = await startApp(openAIEnv(server), undefined, { config: { prices } });
    browser.cleanup(async () => {
      await started.gateway.close();
      rmSync(started.home, { recursive: true, force: true });
    });
    const { page, errors } = await newPage(started.gateway.url);
    await page.focus("#chat-input");
    await page.keyboard.type("Hello");
    await page.keyboard.press("Enter");
    const reply = page.locator(".message.assistant:not(.streaming)").last();
    await reply.locator(".call-stats").waitFor();
    const cost = (200 * 1 + 1000 * 0.25 + 30 * 4) / 1e6;
    assert.equal(await reply.locator(".stat-cost").textContent(), `$${cost.toPrecision(2)}`);
    assert.deepEqual(errors, []);
  });

  test("Stop ends the reply mid-stream, keeps what came and closes the upstream request", async () => {
    const server = await openAI([{ fixture: "openai/chat/openai-text", stallAfterEvents: 30 }]);
    const { gateway } = await app(openAIEnv(server));
    const { page } = await newPage(gateway.url);
    await page.fill("#chat-input", "Invent a holiday");
    await page.press("#chat-input", "Enter");
    await page.waitForFunction(
      () => (document.querySelector(".message.streaming .markdown")?.textContent ?? "").length > 20,
    );
    await page.click("button.stop");
    await server.whenClosedByClient();
    const reply = page.locator(".message.assistant.outcome-aborted");
    await reply.waitFor();
    assert.equal(await reply.locator(".note").textContent(), "Stopped.");
    const partial = (await reply.locator(".markdown").textContent()) ?? "";
    assert.ok(partial.length > 20 && partial.length < openAIAnswer.length / 2, partial);
    assert.equal(await page.isVisible("button.stop"), false);
    assert.equal(await page.isVisible(".composer button[type=submit]"), true);
  });

  test("regenerate and edit-and-resend replace the reply; the system prompt and temperature are sent", async () => {
    const server = await openAI([
      { chunks: openAIChunks("First answer.") },
      { chunks: openAIChunks("Second answer.") },
      { chunks: openAIChunks("Answer to the edit.") },
    ]);
    const { gateway } = await app(openAIEnv(server));
    const { page } = await newPage(gateway.url);
    await page.click(".advanced summary");
    await page.fill("#chat-system", "Answer in one sentence.");
    await page.fill("#chat-temperature", "0.3");
    await page.fill("#chat-input", "Hello?");
    await page.press("#chat-input", "Enter");
    await page.locator(".message.assistant .markdown", { hasText: "First answer." }).waitFor();

    await page.click("text=Regenerate");
    await page.locator(".message.assistant .markdown", { hasText: "Second answer." }).waitFor();
    assert.equal(await page.locator(".message.assistant").count(), 1);

    await page.click(".message.user >> text=Edit");
    await page.fill(".message.editing textarea", "Hello, edited?");
    await page.click("text=Save and send");
    await page.locator(".message.assistant .markdown", { hasText: "Answer to the edit." }).waitFor();
    assert.deepEqual(
      await page.$$eval(".messages .message", (els) =>
        els.map((e) => e.querySelector(".user-text, .markdown")?.textContent?.trim()),
      ),
      ["Hello, edited?", "Answer to the edit."],
    );
    const bodies = server.requests.map((r) => r.json as { messages: unknown[]; temperature?: number });
    assert.equal(bodies.length, 3);
    const system = { role: "system", content: "Answer in one sentence." };
    assert.deepEqual(bodies[0]!.messages, [system, { role: "user", content: "Hello?" }]);
    assert.deepEqual(bodies[1]!.messages, bodies[0]!.messages, "regenerate resends the same history");
    assert.deepEqual(bodies[2]!.messages, [system, { role: "user", content: "Hello, edited?" }]);
    assert.equal(bodies[0]!.temperature, 0.3);
  });

  test("conversations survive a reload and a restart of the server; search, rename and delete work", async () => {
    const server = await openAI([{ chunks: openAIChunks("Paris is the capital of France.") }]);
    const env = openAIEnv(server);
    const first = await app(env);
    const { page } = await newPage(first.gateway.url);
    await page.fill("#chat-input", "What is the capital of France?");
    await page.press("#chat-input", "Enter");
    await page.locator(".message.assistant .call-stats").waitFor();
    await page.waitForFunction(() => /^#\/chat\/[0-9a-f-]{36}$/.test(location.hash));
    const hash = await page.evaluate(() => location.hash);
    await page.locator(".conversations li", { hasText: "What is the capital of France?" }).waitFor();

    // A new server on the same home, at another port: the conversation is still there.
    await first.gateway.close();
    const second = await app(env, first.home);
    await page.goto(`${second.gateway.url}/${hash}`);
    await page
      .locator(".message.assistant .markdown", { hasText: "Paris is the capital of France." })
      .waitFor();
    assert.equal(await page.textContent(".message.user .user-text"), "What is the capital of France?");
    assert.match((await page.textContent(".message.assistant .stat-tokens")) ?? "", /^9 in \/ 21 out$/);

    await page.click("text=New chat");
    assert.equal(await page.locator(".messages .message").count(), 0);
    await page.fill("#conversation-search", "paris");
    await page.locator(".conversations li", { hasText: "capital of France" }).waitFor();
    await page.fill("#conversation-search", "no such words");
    await page.locator(".conversations .note", { hasText: "No conversation matches." }).waitFor();
    await page.fill("#conversation-search", "");

    await page.click("button[aria-label^='Rename What is the capital']");
    await page.fill(".rename input", "Geography");
    await page.press(".rename input", "Enter");
    await page.locator(".conversations li", { hasText: "Geography" }).waitFor();
    await page.click("button[aria-label='Delete Geography']");
    await page.click("text=Confirm delete");
    await page.locator(".conversations .note", { hasText: "No saved conversations yet." }).waitFor();
    const listed = await (await fetch(`${second.gateway.url}/app/api/conversations`)).json();
    assert.deepEqual(listed, { conversations: [] });
  });

  test("HTML and javascript: links in a reply render inert", async () => {
    const hostile = [
      "Look: <img src=x onerror=\"window.__pwned = 'img'\">",
      "<script>window.__pwned = 'script'</script>",
      "[click me](javascript:window.__pwned='link') and <a href=\"javascript:window.__pwned='a'\">this</a>",
      '<svg onload="window.__pwned = \'svg\'"></svg> <iframe src="javascript:parent.__pwned=1"></iframe>',
    ].join("\n\n");
    const server = await openAI([{ chunks: openAIChunks(hostile) }]);
    const { gateway } = await app(openAIEnv(server));
    const { page } = await newPage(gateway.url);
    await page.fill("#chat-input", "Say something dangerous");
    await page.press("#chat-input", "Enter");
    const reply = page.locator(".message.assistant:not(.streaming) .markdown");
    await reply.locator("text=click me").waitFor();
    // Give an image error handler every chance to fire.
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.locator(".markdown img").count(), 1, "the image stays, without its handler");
    assert.equal(
      await page
        .locator(".markdown [onerror], .markdown [onload], .markdown script, .markdown iframe")
        .count(),
      0,
    );
    const hrefs = await page.$$eval(".markdown a", (links) => links.map((a) => a.getAttribute("href")));
    assert.equal(hrefs.length, 2);
    for (const href of hrefs) assert.ok(href === null || !/^\s*javascript:/i.test(href), String(href));
    assert.equal(await page.locator(".markdown a", { hasText: "click me" }).count(), 1);
  });

  test("a 500-message conversation opens, and a new reply re-renders only itself", async () => {
    const server = await openAI([{ fixture: "openai/chat/openai-text", chunkDelayMs: 2 }]);
    const { gateway } = await app(openAIEnv(server));
    const messages = Array.from({ length: 500 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content:
        i % 2 === 0
          ? `Question ${i}`
          : `Answer **${i}** with \`code\`\n\n- a\n- b\n\n\`\`\`js\nconst n = ${i};\n\`\`\``,
    }));
    const created = await fetch(`${gateway.url}/app/api/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Long one", messages }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };

    const { page, errors } = await newPage(`${gateway.url}/#/chat/${id}`);
    const opened = Date.now();
    await page.waitForFunction(() => document.querySelectorAll(".messages .message").length === 500);
    const openMs = Date.now() - opened;
    assert.ok(openMs < 10_000, `opened in ${openMs} ms`);
    assert.equal(await page.locator(".messages .code-block").count(), 250);

    await page.fill("#chat-input", "One more");
    await page.press("#chat-input", "Enter");
    await page.waitForFunction(
      () => (document.querySelector(".message.streaming .markdown")?.textContent ?? "").length > 0,
    );
    // From here to the end of the stream, nothing inside the 500 earlier messages may change.
    await page.evaluate(() => {
      const old = [...document.querySelectorAll(".messages .message:not(.streaming)")].slice(0, 500);
      const state = { changed: 0 };
      (window as unknown as { observed: typeof state }).observed = state;
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          if (old.some((m) => m.contains(r.target))) state.changed++;
        }
      });
      for (const m of old)
        observer.observe(m, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.locator(".message.assistant:not(.streaming)").nth(250).locator(".call-stats").waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { observed: { changed: number } }).observed.changed),
      0,
    );
    assert.equal(await page.locator(".messages .message").count(), 502);
    // Typing stays quick with the whole conversation on the page.
    const typed = await page.evaluate(async () => {
      const input = document.querySelector("#chat-input") as HTMLTextAreaElement;
      const started = performance.now();
      for (const ch of "responsive") {
        input.value += ch;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise(requestAnimationFrame);
      }
      return (performance.now() - started) / 10;
    });
    assert.ok(typed < 100, `a keystroke took ${typed} ms`);
    assert.deepEqual(errors, []);
  });
});

describe("compare", () => {
  test("two models stream side by side, each with tokens, cost, time to first token and total time", async () => {
    const openai = await openAI([{ fixture: "openai/chat/openai-text", chunkDelayMs: 2 }]);
    const anthropic = await startAnthropicServer([{ fixture: "anthropic/anthropic-text", chunkDelayMs: 20 }]);
    browser.cleanup(() => anthropic.close());
    const { gateway } = await app({
      ...openAIEnv(openai),
      ANTHROPIC_API_KEY: "sk-ant-test-web-key-123456",
      ANTHROPIC_BASE_URL: `${anthropic.url}/v1`,
    });
    const { page, errors } = await newPage(`${gateway.url}/#/compare`);
    await page.waitForSelector("#compare-model-2");
    await page.selectOption("#compare-model-1", OPENAI_MODEL);
    await page.selectOption("#compare-model-2", ANTHROPIC_MODEL);
    await page.fill("#compare-prompt", "Invent a holiday");
    await page.click("button:has-text('Compare')");
    // Both stream at the same time.
    await page.waitForFunction(
      () => document.querySelectorAll(".compare-column.status-streaming").length === 2,
    );
    await page.waitForFunction(() => document.querySelectorAll(".compare-column.status-done").length === 2);

    const columns = page.locator(".compare-column");
    assert.equal(await columns.nth(0).locator("h3").textContent(), OPENAI_MODEL);
    assert.equal(await columns.nth(1).locator("h3").textContent(), ANTHROPIC_MODEL);
    assert.ok(((await columns.nth(0).locator(".markdown").textContent()) ?? "").includes("Harmony Day"));
    assert.equal((await columns.nth(1).locator(".markdown").textContent())?.trim(), anthropicAnswer.trim());
    assert.equal(
      await columns.nth(0).locator(".stat-tokens").textContent(),
      `${openAIUsage.prompt_tokens} in / ${openAIUsage.completion_tokens} out`,
    );
    assert.equal(await columns.nth(1).locator(".stat-tokens").textContent(), "12 in / 30 out");
    for (const i of [0, 1]) {
      assert.match((await columns.nth(i).locator(".stat-cost").textContent()) ?? "", /^\$\d/);
      assert.match((await columns.nth(i).locator(".stat-ttft").textContent()) ?? "", /^\d+\.\d\d s$/);
      assert.match((await columns.nth(i).locator(".stat-total").textContent()) ?? "", /^\d+\.\d\d s$/);
    }
    assert.equal(openai.requests.length, 1);
    assert.equal(anthropic.requests.length, 1);
    assert.deepEqual(errors, []);
  });
});

describe("summarize", () => {
  test("a page on loopback is read and its summary streams, with the extracted text one click away", async () => {
    const html = readFileSync("../shared/corpus/dev/readability-ars-1/page.html");
    const site = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    });
    browser.cleanup(() => site.close());
    const server = await openAI([{ fixture: "openai/chat/openai-text", chunkDelayMs: 2 }]);
    const { gateway } = await app(openAIEnv(server));
    const { page, errors } = await newPage(`${gateway.url}/#/summarize`);
    await page.fill("#summarize-url", `${site.origin}/minecraft`);
    await page.press("#summarize-url", "Enter");
    const summary = page.locator(".summary");
    await summary.locator("h3", { hasText: "Minecraft exploit" }).waitFor();
    await page.waitForSelector(".summary.status-done .call-stats");
    assert.ok(((await summary.locator(".markdown").textContent()) ?? "").includes("Harmony Day"));
    assert.equal(
      await summary.locator(".stat-tokens").textContent(),
      `${openAIUsage.prompt_tokens} in / ${openAIUsage.completion_tokens} out`,
    );

    // The model was given the page's text.
    const prompt = JSON.stringify(server.requests[0]!.json);
    assert.match(prompt, /Minecraft/);
    assert.match(prompt, /crash/);

    assert.equal(await summary.locator(".page-text").isVisible(), false);
    await summary.locator(".extracted summary").click();
    const text = (await summary.locator(".page-text").textContent()) ?? "";
    assert.ok(text.includes("Minecraft"), text.slice(0, 200));
    assert.match(
      (await summary.locator(".extracted summary").textContent()) ?? "",
      /^Extracted page text \(\d+ words\)$/,
    );
    assert.deepEqual(errors, []);
  });
});

describe("layout", () => {
  test("phone width has no sideways scrolling; keyboard skip link; the theme toggle switches dark and light; controls are labelled", async () => {
    const server = await openAI([{ chunks: openAIChunks("Hi.") }]);
    const { gateway } = await app(openAIEnv(server));
    const { page } = await browser.open(gateway.url, {
      viewport: { width: 375, height: 740 },
      colorScheme: "light",
    });
    await page.waitForFunction(
      () => (document.querySelector("#chat-model") as HTMLSelectElement | null)?.value,
    );
    for (const view of ["chat", "compare", "summarize"]) {
      await page.goto(`${gateway.url}/#/${view}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${view} overflows by ${overflow}px`);
    }
    // Keyboard: the first Tab offers to skip the header, which lands in the view's content.
    await page.goto(`${gateway.url}/#/chat`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "New chat");
    assert.equal(await page.evaluate(() => location.hash), "#/chat");

    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(), "rgb(255, 255, 255)");
    await page.click(".theme-toggle");
    assert.equal(await page.getAttribute("html", "data-theme"), "dark");
    assert.equal(await background(), "rgb(21, 23, 28)");
    await page.click(".theme-toggle");
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
    assert.equal(await background(), "rgb(255, 255, 255)");
    // Every form control has a label.
    const unlabelled = await page.$$eval("input, select, textarea", (els) =>
      els
        .filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute("aria-label"))
        .map((e) => e.id),
    );
    assert.deepEqual(unlabelled, []);
  });
});
