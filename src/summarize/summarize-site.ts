import type { CallResult } from "../client/call-options.ts";
import { createLlmux } from "../client/create-llmux.ts";
import { createLimiter } from "../core/create-limiter.ts";
import { isLlmuxError, LlmuxError } from "../core/errors.ts";
import { resolveModelLimits } from "../providers/resolve-model-limits.ts";
import { loadSource } from "../reader/load-source.ts";
import { type ReadPage, readPage } from "../reader/read-page.ts";
import { cacheEntry } from "./cache-entry.ts";
import { type ChosenLink, chooseSiteLinks, type LinkChoice } from "./choose-site-links.ts";
import { collectSiteLinks } from "./collect-site-links.ts";
import { type SummarizeOptions, type SummarizeProgress, type Summary, summarize } from "./summarize.ts";
import { summaryCacheKey } from "./summary-cache-key.ts";

export interface SummarizeSiteOptions extends Omit<SummarizeOptions, "site" | "onProgress"> {
  /** Pages read besides the one given, at most; default 5. */
  pages?: number;
  /** A short company brochure in Markdown instead of an overview. */
  brochure?: boolean;
  onProgress?: (progress: SiteProgress) => void;
  /** Things the user should know that are not errors: pages skipped, links chosen by keywords. */
  onNote?: (message: string) => void;
}

/** A summary's steps, and the site's own: choosing the links, reading the pages. */
export type SiteProgress =
  | SummarizeProgress
  | { step: "links" }
  | { step: "pages"; done: number; total: number };

/** A page the overview read (the one given first), or skipped (`error`). */
interface SitePage {
  url: string;
  title: string;
  /** Why it was read: the model's reason, "keywords", or "the page given". */
  reason: string;
  error: string | null;
}

export interface SiteSummary extends Summary {
  pages: SitePage[];
  /** Who chose the pages: the model, keywords (its answers were unusable), none (no links). */
  linkChoice: LinkChoice["by"] | "none";
}

const DEFAULT_PAGES = 5;
const PAGES_AT_ONCE = 3;

/**
 * An overview (or a company brochure) of a website: reads the page given, asks the model which
 * of its same-site links an overview needs (chooseSiteLinks), reads those with the same reader
 * and safety rules, and summarizes them together, however long, as summarize() does. The link
 * choice and the summary are both cached, so a site summarized again calls no model.
 */
export async function summarizeSite(url: string, options: SummarizeSiteOptions = {}): Promise<SiteSummary> {
  if (!/^https?:\/\//i.test(url)) {
    throw new LlmuxError("usage", `--site needs a web address, got "${url}"`, {
      hint: "Give the site's http:// or https:// URL, e.g. llmux summarize --site https://example.com",
    });
  }
  const llmux = options.llmux ?? createLlmux();
  const resolved = llmux.registry.resolve(llmux.registry.defaultModel(options.model));
  // Made now, so an unknown model or a missing key fails before any page is fetched.
  llmux.registry.languageModel(resolved);
  const count = options.pages ?? DEFAULT_PAGES;
  // A landing page is often mostly pictures and menus: few words are still worth reading here.
  const read = { ...options.read, minWords: 0 };
  options.onProgress?.({ step: "reading", source: url });
  // The reader keeps the article; the links to the rest of the site are in the menus it drops.
  const [home, raw] = await Promise.all([readPage(url, read), loadSource(url, read)]);
  const links = raw.kind === "html" ? collectSiteLinks(raw.body, raw.url) : [];

  let choice: { links: ChosenLink[]; by: SiteSummary["linkChoice"]; calls: CallResult[]; cached: boolean };
  if (links.length === 0) {
    options.onNote?.(`${home.url} links to no other page of its site: the overview is of this page alone`);
    choice = { links: [], by: "none", calls: [], cached: false };
  } else {
    const cached = cacheEntry(
      options.cache,
      summaryCacheKey("site-links", [resolved.reference, count, home.title, raw.url, links]),
      isChoice,
    );
    const hit = await cached.read();
    if (hit) {
      choice = { ...hit, calls: [], cached: true };
    } else {
      options.onProgress?.({ step: "links" });
      const limits = await resolveModelLimits(resolved, llmux.registry.config);
      try {
        const chosen = await chooseSiteLinks(links, {
          llmux,
          model: resolved.reference,
          limits,
          site: { title: home.title, url: home.url },
          count,
          signal: options.signal,
          onNote: options.onNote,
        });
        await cached.write({ links: chosen.links, by: chosen.by });
        choice = { ...chosen, cached: false };
      } finally {
        limits.release();
      }
    }
  }

  const pages = await readChosen(choice.links, read, options);
  const markdown = [home, ...pages.flatMap(({ page }) => (page ? [page] : []))]
    .map((page) => `Page: ${page.url}\n\n${page.markdown}`)
    .join("\n\n---\n\n");
  const all = [home, ...pages.flatMap(({ page }) => (page ? [page] : []))];
  const summary = await summarize(
    {
      markdown,
      title: home.title,
      url: home.url,
      timings: {
        fetchMs: all.reduce((sum, page) => sum + page.timings.fetchMs, 0),
        extractMs: all.reduce((sum, page) => sum + page.timings.extractMs, 0),
      },
    },
    { ...options, site: options.brochure ? "brochure" : "overview" },
  );
  const calls = choice.calls;
  const add = (total: number | null, values: (number | null)[]) =>
    values.reduce<number | null>(
      (sum, value) => (sum === null || value === null ? null : sum + value),
      total,
    );
  return {
    ...summary,
    usage: {
      inputTokens: add(
        summary.usage.inputTokens,
        calls.map((call) => call.usage.inputTokens),
      ),
      outputTokens: add(
        summary.usage.outputTokens,
        calls.map((call) => call.usage.outputTokens),
      ),
    },
    costUsd: add(
      summary.costUsd,
      calls.map((call) => call.costUsd),
    ),
    cached: summary.cached && (choice.cached || choice.by === "none"),
    timings: {
      ...summary.timings,
      llmMs: summary.timings.llmMs + calls.reduce((sum, call) => sum + call.latencyMs, 0),
    },
    pages: [
      { url: home.url, title: home.title, reason: "the page given", error: null },
      ...pages.map(({ link, page, error }) => ({
        url: page?.url ?? link.url,
        title: page?.title ?? link.text,
        reason: link.reason,
        error,
      })),
    ],
    linkChoice: choice.by,
  };
}

/** The chosen pages, read a few at once; one that cannot be read is skipped, and said. */
async function readChosen(
  links: readonly ChosenLink[],
  read: SummarizeOptions["read"],
  options: SummarizeSiteOptions,
): Promise<{ link: ChosenLink; page: ReadPage | null; error: string | null }[]> {
  if (links.length === 0) return [];
  const limit = createLimiter(PAGES_AT_ONCE);
  let done = 0;
  options.onProgress?.({ step: "pages", done, total: links.length });
  return Promise.all(
    links.map((link) =>
      limit(async () => {
        try {
          const page = await readPage(link.url, read);
          if (!page.markdown.trim()) throw new LlmuxError("nothing_extracted", "no text in it");
          return { link, page, error: null };
        } catch (error) {
          if (!isLlmuxError(error)) throw error;
          options.onNote?.(`skipped ${link.url}: ${error.message}`);
          return { link, page: null, error: error.message };
        } finally {
          options.onProgress?.({ step: "pages", done: ++done, total: links.length });
        }
      }),
    ),
  );
}

/** A cached choice of links, as writeChoice keeps it. */
function isChoice(value: unknown): value is Pick<LinkChoice, "links" | "by"> {
  const entry = value as Partial<LinkChoice> | null;
  return (
    (entry?.by === "model" || entry?.by === "keywords") &&
    Array.isArray(entry.links) &&
    entry.links.every((link) => typeof link?.url === "string" && typeof link.reason === "string")
  );
}
