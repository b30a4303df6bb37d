import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { loadConfig } from "../src/core/load-config.ts";
import { type Gateway, startGateway } from "../src/gateway/start-gateway.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../src/reader/chromium-launch-options.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

/** Builds the web app into dist/web, where the gateway serves it from, as `npm run build` does. */
export async function buildWebApp(): Promise<void> {
  // `npm test` has just built it. Test files run two at a time, and a build empties dist/web
  // first: rebuilding in each would pull the assets from under the other file's pages.
  if (webBuildIsFresh()) return;
  await build({ configFile: "web/vite.config.ts", logLevel: "error" });
}

/** dist/web is newer than every source the web app is built from (web/, and the src/ it imports). */
function webBuildIsFresh(): boolean {
  const built = statSync("dist/web/index.html", { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  return ["web", "src"].every((root) =>
    readdirSync(root, { recursive: true, withFileTypes: true }).every(
      (entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs <= built,
    ),
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutablePath(),
    args: CHROMIUM_ARGS,
  });
}

export interface TestApp {
  gateway: Gateway;
  home: string;
}

/**
 * `llmux serve` in-process on 127.0.0.1 (random port) in `home` (fresh unless given), with only
 * `env` as environment, no retries, and private addresses allowed (unless told otherwise) so
 * pages on loopback can be summarized; `config` adds to its config.json.
 */
export async function startApp(
  env: Record<string, string>,
  home?: string,
  {
    allowPrivateAddresses = true,
    config: extra = {},
  }: { allowPrivateAddresses?: boolean; config?: object } = {},
): Promise<TestApp> {
  const dir = home ?? makeTempDir("llmux-web-");
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ ...extra, maxRetries: 0, gateway: { maxRetries: 0 } }),
  );
  const config = loadConfig({ cwd: dir, env: { LLMUX_HOME: dir, ...env } });
  const gateway = await startGateway(config, { port: 0, allowPrivateAddresses });
  return { gateway, home: dir };
}

/** Every uncaught page error and console error, so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

export interface BrowserSession {
  /** Runs after the file's tests, newest first: servers, gateways, browser contexts. */
  cleanup(step: () => Promise<void> | void): void;
  /** A new browser context's page at `url`, with its errors collected. */
  open(url: string, options?: BrowserContextOptions): Promise<{ page: Page; errors: string[] }>;
}

/**
 * One Chromium for a test file: the web app is built and the browser launched before its tests;
 * everything registered with `cleanup`, then the browser, is closed after them.
 */
export function useBrowserSession(): BrowserSession {
  let browser: Browser | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];
  before(async () => {
    await buildWebApp();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await browser?.close();
  });
  return {
    cleanup: (step) => {
      cleanups.push(step);
    },
    async open(url, options = { viewport: { width: 1280, height: 860 } }) {
      const context = await browser!.newContext(options);
      cleanups.push(() => context.close());
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(url);
      return { page, errors };
    },
  };
}
