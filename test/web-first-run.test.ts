// The web app on a fresh machine: the default local model is not downloaded yet. With nothing
// ready the page offers its download; Summarize on it is refused before the page is fetched and
// the page offers the download with its size and progress, then summarizes, as `llmux
// summarize` does in a terminal. The
// catalog's llama3.2:1b comes from a loopback hub (with the tiny TinyStories model's bytes).
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { before, test } from "node:test";
import { serve } from "./reader-serve.ts";
import { serveFile } from "./support/serve-file.ts";
import { startApp, type TestApp, useBrowserSession } from "./web-support.ts";

const STORIES = readFileSync(resolve("../shared/models/stories260K.gguf"));
const SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
const ARTICLE = `<!doctype html><html><head><title>The lighthouse keeper</title></head><body><article>
<h1>The lighthouse keeper</h1>${"<p>Every night the keeper climbed the stairs, lit the lamp and watched the ships pass the rocks until morning came over the sea.</p>".repeat(6)}
</article></body></html>`;

const browser = useBrowserSession();
let pageRequests = 0;
let site: Awaited<ReturnType<typeof serve>>;
let hub: Awaited<ReturnType<typeof serveFile>>;
before(async () => {
  site = await serve((_req, res) => {
    pageRequests++;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ARTICLE);
  });
  // The delay keeps the download going long enough for its progress to be seen.
  hub = await serveFile(STORIES, { etag: SHA256, delayMs: 700 });
  browser.cleanup(() => Promise.all([site.close(), hub.close()]).then(() => {}));
});

async function app(
  env: Record<string, string> = {},
  options = { allowPrivateAddresses: true },
): Promise<TestApp> {
  const started = await startApp(
    { HF_ENDPOINT: `${hub.origin}/hub`, LLMUX_THREADS: "1", ...env },
    undefined,
    options,
  );
  browser.cleanup(async () => {
    await started.gateway.close();
    rmSync(started.home, { recursive: true, force: true });
  });
  return started;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("the API: a model that is not downloaded is refused before the page is fetched; /app/api/pull takes catalog names only", async () => {
  const { gateway } = await app();
  const before = pageRequests;
  const refused = await post(`${gateway.url}/app/api/summarize`, {
    url: `${site.origin}/a`,
    model: "local:llama3.2:1b",
  });
  assert.equal(refused.status, 404);
  const { error } = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, "model_not_downloaded");
  assert.equal(error.message, "local:llama3.2:1b is not downloaded yet (808 MB)");
  assert.equal(pageRequests, before, "the page was not fetched");

  for (const model of ["local:/etc/passwd", "https://example.com/x.gguf", "hf:a/b/c.gguf", "local:../x", 7]) {
    const response = await post(`${gateway.url}/app/api/pull`, { model });
    assert.equal(response.status, 404, String(model));
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "model_not_found");
  }
  assert.equal(hub.requests.length, 0, "nothing was downloaded for names outside the catalog");
});

test("with nothing ready, the page offers the default model's download; once installed, it chats", async () => {
  const { gateway } = await app();
  const { page, errors } = await browser.open(gateway.url);
  const setup = page.locator(".setup-needed");
  await setup.waitFor();
  const offer = setup.locator(".download-offer");
  assert.equal(
    (await offer.locator("p").first().textContent())?.trim(),
    "local:llama3.2:1b is not downloaded yet (808 MB). Download it now?",
  );
  await offer.getByRole("button", { name: "Download" }).click();
  await page.locator(".download-progress progress").waitFor();
  // Installed: the models are asked again and the chat starts on the downloaded default.
  await page.waitForFunction(
    () => (document.querySelector("#chat-model") as HTMLSelectElement | null)?.value === "local:llama3.2:1b",
    undefined,
    { timeout: 60_000 },
  );
  assert.equal(await page.locator(".setup-needed").count(), 0);
  assert.deepEqual(
    hub.requests.slice(-2).map((r) => r.status),
    [302, 200],
    "one download: the hub's redirect, then the file",
  );
  assert.deepEqual(errors, []);
});

test("Summarize on a model that is not downloaded offers it with its size before fetching the page, then summarizes", async () => {
  // A cloud key makes the app usable; the local default still needs its download.
  const { gateway } = await app({ OPENAI_API_KEY: "sk-test-first-run-0000" });
  const { page, errors } = await browser.open(`${gateway.url}/#/summarize`);
  await page.waitForFunction(
    () => (document.querySelector("#summarize-model") as HTMLSelectElement | null)?.value,
  );
  await page.selectOption("#summarize-model", "local:llama3.2:1b");
  await page.fill("#summarize-url", `${site.origin}/lighthouse`);
  const fetched = pageRequests;
  const downloads = hub.requests.length;
  await page.press("#summarize-url", "Enter");

  const offer = page.locator(".summary .download-offer");
  await offer.waitFor();
  assert.equal(
    (await offer.locator("p").first().textContent())?.trim(),
    "local:llama3.2:1b is not downloaded yet (808 MB). Download it now?",
  );
  assert.equal(pageRequests, fetched, "nothing is fetched before the model is there");
  await offer.getByRole("button", { name: "Download" }).click();
  await page.locator(".download-progress progress").waitFor();

  // Once installed, the summary runs by itself, on the model that was just downloaded.
  await page.waitForSelector(".summary.status-done .call-stats", { timeout: 60_000 });
  assert.equal(await page.locator(".download-offer").count(), 0);
  const summary = page.locator(".summary");
  assert.match((await summary.locator("h3").textContent()) ?? "", /The lighthouse keeper/);
  assert.ok(((await summary.locator(".markdown").textContent()) ?? "").trim().length > 0);
  assert.equal(pageRequests, fetched + 1);
  assert.equal(hub.requests.length, downloads + 2, "one download: the hub's redirect, then the file");
  // The browser logs the refusal it was meant to get; nothing else went wrong.
  assert.deepEqual(errors, [
    "Failed to load resource: the server responded with a status of 404 (Not Found)",
  ]);
});

test("a page on a private address is refused before any model is called, saying how to start the gateway", async () => {
  const { gateway } = await app(
    { OPENAI_API_KEY: "sk-test-first-run-0000" },
    { allowPrivateAddresses: false },
  );
  const { page } = await browser.open(`${gateway.url}/#/summarize`);
  await page.waitForFunction(
    () => (document.querySelector("#summarize-model") as HTMLSelectElement | null)?.value,
  );
  const fetched = pageRequests;
  await page.fill("#summarize-url", `${site.origin}/private`);
  await page.press("#summarize-url", "Enter");
  const error = page.locator(".summary .reply-error");
  await error.waitFor();
  assert.equal(
    await error.textContent(),
    "This page is on a private or local address, which the gateway does not read unless it is started with `llmux serve --allow-private`.",
  );
  assert.equal(pageRequests, fetched, "the private address was never fetched");
});

test("a download that fails says why and offers Download again; the setup page stays", async () => {
  const corrupt = await serveFile(STORIES, { etag: "0".repeat(64) });
  browser.cleanup(() => corrupt.close());
  const { gateway } = await app({ HF_ENDPOINT: `${corrupt.origin}/hub` });
  const { page } = await browser.open(gateway.url);
  const offer = page.locator(".setup-needed .download-offer");
  await offer.waitFor();
  await offer.getByRole("button", { name: "Download" }).click();
  const error = offer.locator(".reply-error");
  await error.waitFor({ timeout: 60_000 });
  assert.match((await error.textContent()) ?? "", /has sha256 .*, the server says 0{64}; it was deleted/);
  assert.equal(await offer.getByRole("button", { name: "Download" }).count(), 1);
  assert.equal(await page.locator(".setup-needed").count(), 1);
});
