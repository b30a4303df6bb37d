import { Readability } from "@mozilla/readability";
import { checkDocumentBounds } from "./check-document-bounds.ts";
import { cleanArticle } from "./clean-article.ts";
import type { SourceKind } from "./content-kind.ts";
import { domToText } from "./dom-to-text.ts";
import { htmlToMarkdown } from "./html-to-markdown.ts";
import { parseDocument } from "./parse-document.ts";
import { pruneBoilerplate } from "./prune-boilerplate.ts";

export interface ExtractedContent {
  /**
   * What the source was: an HTML page, text, Markdown, a PDF, a feed (then the Markdown is a
   * digest of its newest entries, each a "## [title](link)" section) or a video (its captions).
   */
  kind: SourceKind;
  title: string;
  byline: string | null;
  published: string | null;
  lang: string | null;
  /** The article as Markdown: "# title", a byline/date line when known, then the content. */
  markdown: string;
  /** The article's plain text, paragraphs separated by blank lines (no title). */
  text: string;
  wordCount: number;
}

function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

/** A publication date the page shows in markup, for pages without meta tags or JSON-LD. */
function publishedFromMarkup(doc: Document): string | null {
  const el = doc.querySelector(
    'meta[itemprop="datePublished"], [itemprop="datePublished"][datetime], time[pubdate], time[datetime]',
  );
  return el?.getAttribute("content") ?? el?.getAttribute("datetime") ?? null;
}

/** Makes the links and image sources under `root` absolute, against `base`. */
export function resolveLinks(root: Element, base: string | undefined): void {
  if (!base) return;
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const el of root.querySelectorAll(selector)) {
      const value = el.getAttribute(attribute) ?? "";
      if (value.startsWith("#") || /^(?:javascript|data):/i.test(value)) continue;
      try {
        el.setAttribute(attribute, new URL(value, base).href);
      } catch {
        // Leave links that are not URLs as they are.
      }
    }
  }
}

function baseUrl(doc: Document, url: string | undefined): string | undefined {
  const href = doc.querySelector("base[href]")?.getAttribute("href");
  if (!href) return url;
  try {
    return new URL(href, url).href;
  } catch {
    return url;
  }
}

/**
 * The main content of an HTML page (Readability on linkedom, after generic boilerplate pruning)
 * as clean Markdown and plain text, with title, byline, publication date and language.
 * When Readability finds no article, the page's visible text (minus navigation and widgets) is used.
 */
export function extractContent(html: string, options: { url?: string } = {}): ExtractedContent {
  const doc = parseDocument(html);
  checkDocumentBounds(doc);
  const base = baseUrl(doc, options.url);
  const lang = doc.documentElement.getAttribute("lang")?.trim() || null;
  const markupDate = publishedFromMarkup(doc);
  const firstHeading = doc.querySelector("h1")?.textContent?.trim() ?? "";
  pruneBoilerplate(doc);
  const article = new Readability<Element>(doc, {
    keepClasses: true,
    serializer: (node) => node as Element,
  }).parse();

  let root = article?.content ?? null;
  if (root) cleanArticle(root);
  if (!root || countWords(root.textContent ?? "") === 0) {
    // Readability mutates the document it reads, so the fallback starts from a fresh parse.
    const fresh = parseDocument(html);
    pruneBoilerplate(fresh);
    root = fresh.body;
  }
  resolveLinks(root, base);
  const text = domToText(root);
  const title = (article?.title || firstHeading || doc.title || "").trim();
  const byline = article?.byline?.trim() || null;
  const published = article?.publishedTime?.trim() || markupDate;
  const header = [title ? `# ${title}` : "", [byline, published].filter(Boolean).join(" · ")].filter(Boolean);
  const body = htmlToMarkdown(root);
  return {
    kind: "html",
    title,
    byline,
    published,
    lang: article?.lang?.trim() || lang,
    markdown: [...header, body].filter(Boolean).join("\n\n"),
    text,
    wordCount: countWords(text),
  };
}
