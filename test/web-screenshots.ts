// Takes docs/chat.png, docs/compare.png and docs/summarize.png: the web UI against the real
// gateway and loopback provider servers. Run: node --import tsx test/web-screenshots.ts
import { readFileSync, rmSync } from "node:fs";
import { serve } from "./reader-serve.ts";
import { startAnthropicServer, startOpenAIServer } from "./servers/index.ts";
import { buildWebApp, launchBrowser, startApp } from "./web-support.ts";

const CHAT_REPLY = `Use a **binary search**: it halves the range each step, so it takes *O(log n)* comparisons.

\`\`\`ts
function search(sorted: number[], target: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] === target) return mid;
    if (sorted[mid] < target) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
\`\`\`

| Input size | Comparisons at most |
| --- | --- |
| 1,000 | 10 |
| 1,000,000 | 20 |

- The array must be sorted.
- For many lookups, a hash map answers in *O(1)*.`;

const SUMMARY = `A flaw in **Minecraft**'s network protocol lets almost anyone crash a game server, says developer Ammar Askar, who released proof-of-concept code after Mojang left his report unanswered for 21 months.

- The client may send the server the contents of inventory slots.
- Slot items carry metadata in the nested **NBT** format, so a small packet can hold a structure that is very costly for the server to unpack.
- Thousands of servers are exposed until Mojang fixes it.`;

function chunks(text: string): unknown[] {
  const base = { id: "chatcmpl-shot", object: "chat.completion.chunk", created: 1, model: "gpt-4.1-mini" };
  return [
    ...text.match(/[\s\S]{1,16}/g)!.map((part) => ({
      ...base,
      choices: [{ index: 0, delta: { content: part }, finish_reason: null }],
    })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: 24, completion_tokens: 196, total_tokens: 220 } },
  ];
}

await buildWebApp();
const openai = await startOpenAIServer([
  { chunks: chunks(CHAT_REPLY) },
  { fixture: "openai/chat/openai-text" },
  { chunks: chunks(SUMMARY) },
]);
const anthropic = await startAnthropicServer([{ fixture: "anthropic/anthropic-text" }]);
const html = readFileSync("../shared/corpus/dev/readability-ars-1/page.html");
const site = await serve((_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
});
const { gateway, home } = await startApp({
  OPENAI_API_KEY: "sk-screenshot-key-123456",
  OPENAI_BASE_URL: `${openai.url}/v1`,
  ANTHROPIC_API_KEY: "sk-ant-screenshot-key-123456",
  ANTHROPIC_BASE_URL: `${anthropic.url}/v1`,
  LLMUX_MODEL: "openai:gpt-4.1-mini",
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
  await page.goto(gateway.url);
  await page.waitForFunction(
    () => (document.querySelector("#chat-model") as HTMLSelectElement | null)?.value,
  );
  await page.fill("#chat-input", "What is the fastest way to find a number in a sorted array?");
  await page.press("#chat-input", "Enter");
  await page.locator(".message.assistant .call-stats").waitFor();
  await page.screenshot({ path: "docs/chat.png" });

  await page.goto(`${gateway.url}/#/compare`);
  await page.selectOption("#compare-model-1", "openai:gpt-4.1-mini");
  await page.selectOption("#compare-model-2", "anthropic:claude-sonnet-4-5");
  await page.fill("#compare-prompt", "Invent a holiday");
  await page.click("button:has-text('Compare')");
  await page.waitForFunction(() => document.querySelectorAll(".compare-column.status-done").length === 2);
  await page.click(".theme-toggle");
  await page.screenshot({ path: "docs/compare.png" });
  // Dark, then light, then back to the system's.
  await page.click(".theme-toggle");
  await page.click(".theme-toggle");

  await page.goto(`${gateway.url}/#/summarize`);
  await page.fill("#summarize-url", `${site.origin}/2015/04/minecraft-exploit`);
  await page.press("#summarize-url", "Enter");
  await page.waitForSelector(".summary.status-done .call-stats");
  await page.click(".extracted summary");
  await page.screenshot({ path: "docs/summarize.png" });
} finally {
  await browser.close();
  await gateway.close();
  await Promise.all([openai.close(), anthropic.close(), site.close()]);
  rmSync(home, { recursive: true, force: true });
}
