import { performance } from "node:perf_hooks";
import { LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import { extractFeedInWorker, extractInWorker, extractPdfInWorker } from "./extract-in-worker.ts";
import { type LoadSourceOptions, loadSource } from "./load-source.ts";
import { readYouTube, youTubeVideoId } from "./youtube.ts";

export interface ReadPageOptions extends LoadSourceOptions {
  /** Run the page's JavaScript in headless Chromium before extracting (URLs only). */
  render?: boolean;
  /**
   * An HTML page with fewer words than this fails with nothing_extracted (a JavaScript app
   * shell, a login wall), hinting at --render. Default 50; 0 accepts anything.
   */
  minWords?: number;
  /** Called once the source is fetched, as its extraction starts (for a status line). */
  onExtracting?: () => void;
  /** Feeds: how many of the newest entries the digest keeps. Default 10. */
  limit?: number;
  /**
   * Videos: the captions' language, a code ("fr", "pt-BR") or a name ("French"). Default: the
   * locale's (LC_ALL, LC_MESSAGES, LANG), then English.
   */
  language?: string;
  /**
   * Videos: where YouTube's watch pages and caption tracks are fetched. Default the
   * LLMUX_YOUTUBE_ORIGIN environment variable, else https://www.youtube.com (tests point it at
   * a loopback server).
   */
  youtubeOrigin?: string;
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
    kind,
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
 * thread: a hostile page cannot stall the caller's event loop): an HTML page's article, a PDF's
 * text layer, a digest of a feed's newest entries, text and Markdown as they are; a YouTube
 * video link reads the video's captions. `kind` says which.
 * Throws LlmuxError: the fetch kinds (dns, http_status, blocked_address…), and
 * nothing_extracted when an HTML page yields fewer than `minWords` words, a PDF has no text
 * layer, or a video no captions.
 */
export async function readPage(source: string | URL, options: ReadPageOptions = {}): Promise<ReadPage> {
  const videoId = youTubeVideoId(String(source));
  if (videoId) return readYouTube(videoId, options);
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
  options.onExtracting?.();
  const url = /^https?:/.test(loaded.url) ? loaded.url : undefined;
  let content: ExtractedContent;
  switch (loaded.kind) {
    case "html":
      content = await extractInWorker(html, { url });
      break;
    case "pdf":
      content = await extractPdfInWorker(loaded.data);
      break;
    case "feed":
      content = await extractFeedInWorker(loaded.body, { url, limit: options.limit });
      break;
    default:
      content = fromText(loaded.body, loaded.kind);
  }
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
