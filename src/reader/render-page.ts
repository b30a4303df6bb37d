import type { LookupAddress } from "node:dns";
import { lookup as systemLookup } from "node:dns";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { LlmuxError } from "../core/errors.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "./chromium-launch-options.ts";
import type { GuardOptions, Lookup } from "./create-guarded-agent.ts";
import { BROWSER_USER_AGENT } from "./fetch-page.ts";
import { isBlockedAddress } from "./is-blocked-address.ts";

interface RenderPageOptions extends GuardOptions {
  /** Whole render, browser start included. Default 30 s. */
  timeoutMs?: number;
  /** How long to wait for the network to go quiet after load. Default 5 s. */
  idleMs?: number;
  userAgent?: string;
}

function resolveAll(lookup: Lookup, host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, addresses) =>
      error
        ? reject(error)
        : resolve(Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]),
    ),
  );
}

/**
 * Runs an already fetched HTML document in headless Chromium and returns the DOM after its
 * scripts ran. The document itself is served from `page.body` (so its fetch, redirects
 * included, went through the guarded fetcher); every other request the page makes is
 * checked against the SSRF rules and aborted when it targets a private address.
 * Known gap: redirects of subresources and WebSocket connections are not re-checked.
 */
export async function renderPage(
  page: { url: string; body: string },
  options: RenderPageOptions = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const lookup = options.lookup ?? (systemLookup as Lookup);
  const allowHosts = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()));
  const verdicts = new Map<string, Promise<boolean>>();
  const isAllowed = (url: URL): Promise<boolean> => {
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (options.allowPrivate || allowHosts.has(host)) return Promise.resolve(true);
    let verdict = verdicts.get(host);
    if (!verdict) {
      verdict = isBlockedAddress(host)
        ? Promise.resolve(false)
        : resolveAll(lookup, host).then(
            (addresses) => addresses.every((a) => !isBlockedAddress(a.address)),
            () => false,
          );
      verdicts.set(host, verdict);
    }
    return verdict;
  };

  const documentUrl = new URL(page.url);
  documentUrl.hash = ""; // Chromium requests never carry the fragment
  const profile = await mkdtemp(join(tmpdir(), "llmux-chromium-"));
  const executablePath = chromiumExecutablePath();
  try {
    const context = await chromium
      .launchPersistentContext(profile, {
        executablePath,
        args: CHROMIUM_ARGS,
        headless: true,
        serviceWorkers: "block", // so every request goes through the route below
        userAgent: options.userAgent ?? BROWSER_USER_AGENT,
        timeout: timeoutMs,
      })
      .catch((error: unknown) => {
        throw new LlmuxError("unsupported", `Could not start Chromium at ${executablePath}`, {
          hint: "install Chromium (apt-get install chromium) or set CHROME_PATH",
          cause: error,
        });
      });
    try {
      const tab = context.pages()[0] ?? (await context.newPage());
      await tab.route("**/*", async (route) => {
        const request = route.request();
        const url = new URL(request.url());
        if (
          request.isNavigationRequest() &&
          request.frame() === tab.mainFrame() &&
          url.href === documentUrl.href
        ) {
          return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: page.body });
        }
        if (!/^https?:$/.test(url.protocol)) return route.continue();
        return (await isAllowed(url)) ? route.continue() : route.abort("blockedbyclient");
      });
      await tab
        .goto(page.url, { waitUntil: "load", timeout: Math.max(1, deadline - Date.now()) })
        .catch((error) => {
          throw new LlmuxError("timeout", `Rendering ${page.url} did not finish in ${timeoutMs / 1000} s`, {
            hint: "The page keeps loading; try without --render",
            cause: error,
          });
        });
      const idle = Math.min(options.idleMs ?? 5000, Math.max(0, deadline - Date.now()));
      // A page that keeps polling never goes idle; take what it shows after the bound.
      await tab.waitForLoadState("networkidle", { timeout: Math.max(1, idle) }).catch(() => {});
      return await tab.content();
    } finally {
      await context.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
