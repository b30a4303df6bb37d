// The web UI starts on a model that answers, and says what to set up when none does: a real
// Chromium against the real gateway and loopback provider servers.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { pullModel } from "../src/local/pull-model.ts";
import { startOpenAIServer } from "./servers/index.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { writeGguf } from "./support/write-gguf.ts";
import { startApp, useBrowserSession } from "./web-support.ts";

const browser = useBrowserSession();

/** `llmux serve` in a home of its own (Ollama's store and AWS credentials looked for there too), no Ollama running. */
async function app(env: Record<string, string>): Promise<{ url: string; home: string }> {
  const home = makeTempDir("llmux-web-ready-");
  const isolated = {
    HOME: home,
    OLLAMA_MODELS: join(home, "ollama"),
    OLLAMA_HOST: await closedLoopbackUrl(),
  };
  const { gateway } = await startApp({ ...isolated, ...env }, home);
  browser.cleanup(async () => {
    await gateway.close();
    rmSync(home, { recursive: true, force: true });
  });
  return { url: gateway.url, home };
}

const pickerValue = (page: Page, id: string) =>
  page.waitForFunction((id) => (document.querySelector(`#${id}`) as HTMLSelectElement | null)?.value, id);

describe("the web UI and readiness", () => {
  test("LLMUX_MODEL without its key: the UI starts on the first ready model, which answers; the others say why", async () => {
    const openai = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
    browser.cleanup(() => openai.close());
    const { url } = await app({
      OPENAI_API_KEY: "sk-test-web-ready-key-123456",
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLMUX_MODEL: "anthropic:claude-sonnet-4-5",
    });
    const { page, errors } = await browser.open(url);
    await pickerValue(page, "chat-model");
    assert.equal(await page.inputValue("#chat-model"), "openai:gpt-4.1");
    assert.match((await page.textContent("#chat-model-facts")) ?? "", /^Ready · /);
    const anthropic = page.locator('#chat-model option[value="anthropic:claude-sonnet-4-5"]');
    assert.equal(await anthropic.isDisabled(), true);
    assert.match((await anthropic.textContent()) ?? "", /^○ .* · no key/);
    const local = page.locator('#chat-model option[value="local:llama3.2:1b"]');
    assert.match((await local.textContent()) ?? "", / · not downloaded/);
    assert.match(
      (await page.locator('#chat-model option[value="ollama:llama3.2:1b"]').textContent()) ?? "",
      / · not running/,
    );

    // The first message goes to the model the UI started on, and is answered.
    await page.fill("#chat-input", "Invent a holiday");
    await page.press("#chat-input", "Enter");
    await page.locator(".message.assistant:not(.streaming) .call-stats").waitFor();
    assert.equal(openai.requests[0]?.json?.model, "gpt-4.1");

    // Compare starts on two models that answer.
    await page.goto(`${url}/#/compare`);
    await pickerValue(page, "compare-model-2");
    assert.deepEqual(
      [await page.inputValue("#compare-model-1"), await page.inputValue("#compare-model-2")],
      ["openai:gpt-4.1", "openai:gpt-4.1-mini"],
    );
    assert.deepEqual(errors, []);
  });

  test("with no model ready, the UI says what to set up; once a model is on disk, Check again opens the chat on it", async () => {
    const { url, home } = await app({});
    const { page, errors } = await browser.open(url);
    const setup = page.locator(".setup-needed");
    await setup.waitFor();
    const text = ((await setup.textContent()) ?? "").replace(/\s+/g, " ");
    assert.match(text, /^No model can answer yet/);
    for (const step of ["ollama serve", "llmux pull llama3.2:1b", "OPENAI_API_KEY", "restart llmux serve"]) {
      assert.ok(text.includes(step), `${step} in: ${text}`);
    }
    assert.equal(await page.locator("#chat-input").count(), 0, "no chat that could only fail");

    const gguf = await writeGguf(join(home, "src.gguf"), { contextLength: 1024 });
    await pullModel(gguf.path, { modelsDir: join(home, "models"), name: "tiny:1b" });
    await page.click("button:has-text('Check again')");
    await pickerValue(page, "chat-model");
    assert.equal(await page.inputValue("#chat-model"), "local:tiny:1b");
    assert.equal(await setup.count(), 0);
    assert.deepEqual(errors, []);
  });
});
