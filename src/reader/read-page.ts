import { performance } from "node:perf_hooks";
import { LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import { extractInWorker } from "./extract-in-worker.ts";
import { type LoadSourceOptions, loadSource } from "./load-source.ts";

export interface ReadPageOptions extends LoadSourceOptions {
  /** Run the page's JavaScript in headless Chromium before extracting (URLs only). */
  render?: boolean;
  /**
   * An HTML page with fewer words than this fails with nothing_extracted (a JavaScript app
   * shell, a login wall), hinting at --render. Default 50; 0 accepts anything.
   */
  minWords?: number;
}

export interface ReadPage extends ExtractedContent {
  url: string;
  timings: { fetchMs: number; extractMs: number };
}

/** Plain text and Markdown pass through; the title is their first heading (or first line). */
function fromText(text: string, kind: "text" | "markdown"): ExtractedContent {
  const body = text.replace(/\r\n?/g, "\n").trim();
  const heading = kind === "markdown" ? /^#{1,6}\s+(.+?)\s*#*$/m.exec(body)?.[1] : undefined;
  const title = (heading ?? body.split("\n", 1)[0] ?? "").trim().slice(0, 200);
  return {
    title,
    byline: null,
    published: null,
    lang: null,
    markdown: body,
    text: body,
    wordCount: body.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0,
  };
}

/**
 * Reads a page from a URL, local file or "-" (stdin) and extracts its main content (in a worker
 * thread: a hostile page cannot stall the caller's event loop).
 * Throws LlmuxError: the fetch kinds (dns, http_status, blocked_address…), and
 * nothing_extracted when an HTML page yields fewer than `minWords` words.
 */
export async function readPage(source: string | URL, options: ReadPageOptions = {}): Promise<ReadPage> {
  const started = performance.now();
  const loaded = await loadSource(source, options);
  let html = loaded.body;
  if (options.render && loaded.kind === "html") {
    if (!/^https?:/.test(loaded.url)) {
      throw new LlmuxError("usage", "--render works on http(s) URLs only", {
        hint: "drop --render for local files",
      });
    }
    // Chromium's driver loads only for pages that need it.
    const { renderPage } = await import("./render-page.ts");
    html = await renderPage({ url: loaded.url, body: loaded.body }, options);
  }
  const fetched = performance.now();
  const content =
    loaded.kind === "html"
      ? await extractInWorker(html, { url: /^https?:/.test(loaded.url) ? loaded.url : undefined })
      : fromText(loaded.body, loaded.kind);
  const extracted = performance.now();
  const minWords = options.minWords ?? 50;
  if (loaded.kind === "html" && content.wordCount < minWords) {
    throw new LlmuxError(
      "nothing_extracted",
      `Found only ${content.wordCount} words of content in ${loaded.url}`,
      {
        hint: options.render
          ? "the page may need a login, or have no text content"
          : "the page may build its content with JavaScript; --render may help",
      },
    );
  }
  return {
    url: loaded.url,
    ...content,
    timings: { fetchMs: Math.round(fetched - started), extractMs: Math.round(extracted - fetched) },
  };
}
