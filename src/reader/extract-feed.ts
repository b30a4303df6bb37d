import { DOMParser } from "linkedom";
import { LlmuxError } from "../core/errors.ts";
import { checkDocumentBounds } from "./check-document-bounds.ts";
import { domToText } from "./dom-to-text.ts";
import { type ExtractedContent, resolveLinks } from "./extract-content.ts";
import { htmlToMarkdown } from "./html-to-markdown.ts";
import { parseDocument } from "./parse-document.ts";

/** Entries in a digest unless the caller asks for another number. */
export const DEFAULT_FEED_LIMIT = 10;

interface Entry {
  title: string;
  link: string | null;
  /** Milliseconds since the epoch, or null when the entry has no (valid) date. */
  date: number | null;
  author: string | null;
  markdown: string;
  text: string;
}

const name = (el: Element) => el.nodeName.toLowerCase();

/** The direct children of `parent` with one of these names (prefix included: "dc:date"). */
function childrenNamed(parent: Element, ...names: string[]): Element[] {
  return [...parent.children].filter((el) => names.includes(name(el)));
}

function childNamed(parent: Element, ...names: string[]): Element | undefined {
  // In the order of the names asked for, so the first name is preferred.
  for (const wanted of names) {
    const found = [...parent.children].find((el) => name(el) === wanted);
    if (found) return found;
  }
  return undefined;
}

const textOf = (el: Element | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

function firstWithText(...elements: Array<Element | undefined>): Element | undefined {
  return elements.find((el) => el && (el.textContent ?? "").trim() !== "");
}

function absolute(href: string, base: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, base);
    return /^https?:$/.test(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function parseDate(value: string): number | null {
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : time;
}

/** HTML from a feed (an entry's content or summary) as Markdown and text; its headings sit below the entry's. */
function fromHtml(html: string, base: string | undefined): { markdown: string; text: string } {
  const doc = parseDocument(html);
  checkDocumentBounds(doc);
  const body = doc.body;
  for (const heading of [...body.querySelectorAll("h1, h2, h3, h4, h5, h6")]) {
    const level = Math.min(6, Number(heading.localName.slice(1)) + 2);
    const lower = doc.createElement(`h${level}`);
    while (heading.firstChild) lower.appendChild(heading.firstChild);
    heading.replaceWith(lower);
  }
  resolveLinks(body, base);
  return { markdown: htmlToMarkdown(body), text: domToText(body) };
}

/** An Atom text construct (type text, html or xhtml) or RSS element, as Markdown and text. */
function content(
  el: Element | undefined,
  base: string | undefined,
  rss: boolean,
): { markdown: string; text: string } {
  if (!el || el.hasAttribute("src")) return { markdown: "", text: "" };
  const type = (el.getAttribute("type") ?? (rss ? "html" : "text")).toLowerCase();
  if (type === "xhtml") {
    const div = [...el.children].find((child) => name(child) === "div" || name(child).endsWith(":div"));
    return fromHtml(div?.innerHTML ?? el.innerHTML, base);
  }
  if (type === "html" || type === "text/html") return fromHtml(el.textContent ?? "", base);
  const text = (el.textContent ?? "").trim();
  return { markdown: text, text };
}

/** A title: plain text, or HTML reduced to its text (Atom's type="html", and RSS titles in the wild). */
function titleOf(el: Element | undefined): string {
  const raw = textOf(el);
  if (!/[<&]/.test(raw)) return raw;
  return (parseDocument(raw).body.textContent ?? "").replace(/\s+/g, " ").trim();
}

function atomLink(el: Element, base: string | undefined): string | null {
  const links = childrenNamed(el, "link", "atom:link");
  const alternate = links.find((l) => (l.getAttribute("rel") ?? "alternate") === "alternate") ?? links[0];
  return absolute(alternate?.getAttribute("href") ?? "", base);
}

function rssEntry(item: Element, base: string | undefined): Entry {
  const guid = childNamed(item, "guid");
  const permalink = guid && guid.getAttribute("isPermaLink") !== "false" ? textOf(guid) : "";
  const link =
    absolute(textOf(childNamed(item, "link")), base) ?? absolute(permalink, base) ?? atomLink(item, base);
  // The summary (description) when it says something, else the full content. RSS gives
  // relative links in it no base: the entry's own address is what feed readers use.
  const body = firstWithText(childNamed(item, "description"), childNamed(item, "content:encoded"));
  return {
    title: titleOf(childNamed(item, "title", "dc:title")),
    link,
    date: parseDate(textOf(childNamed(item, "pubdate", "dc:date", "atom:updated", "atom:published"))),
    author: textOf(childNamed(item, "dc:creator", "author")) || null,
    ...content(body, link ?? base, true),
  };
}

function atomEntry(entry: Element, base: string | undefined): Entry {
  const author = childNamed(entry, "author");
  return {
    title: titleOf(childNamed(entry, "title")),
    link: atomLink(entry, base),
    date: parseDate(textOf(childNamed(entry, "published", "updated"))),
    author: (author && textOf(childNamed(author, "name"))) || null,
    ...content(firstWithText(childNamed(entry, "summary"), childNamed(entry, "content")), base, false),
  };
}

const escapeLinkText = (text: string) => text.replace(/([[\]\\])/g, "\\$1");
const escapeUrl = (url: string) => url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * An RSS (2.0, 0.9x, 1.0) or Atom feed as one Markdown digest of its newest entries: "# feed
 * title", a line with the feed's link and how many entries are shown, its description, then per
 * entry "## [title](link)", a date · author line, and its summary (or, without one, its content)
 * converted from HTML. Entries are sorted newest first when they have dates (those without come
 * last, in feed order) and cut to `limit`.
 * Parsed with linkedom's XML parser, which expands no entities of a DTD (no "billion laughs").
 */
export function extractFeed(xml: string, options: { url?: string; limit?: number } = {}): ExtractedContent {
  const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as Document;
  const root = doc.documentElement;
  checkDocumentBounds(doc);
  const rootName = root ? name(root) : "";
  const atom = rootName === "feed";
  if (!atom && rootName !== "rss" && !rootName.endsWith("rdf")) {
    throw new LlmuxError("nothing_extracted", "This is not an RSS or Atom feed", {
      hint: "llmux reads feeds whose root element is <rss>, <feed> or <rdf:RDF>",
    });
  }
  const channel = atom ? root : (childNamed(root, "channel") ?? root);
  const feedLink = atom
    ? atomLink(root, options.url)
    : absolute(textOf(childNamed(channel, "link")), options.url);
  // Relative links resolve against the feed's address; in a local file, against the site it names.
  const base = options.url ?? feedLink ?? undefined;
  const items = atom
    ? childrenNamed(root, "entry").map((entry) => atomEntry(entry, base))
    : [...childrenNamed(channel, "item"), ...(channel === root ? [] : childrenNamed(root, "item"))].map(
        (item) => rssEntry(item, base),
      );
  if (items.length === 0) {
    throw new LlmuxError("nothing_extracted", "The feed has no entries", {
      hint: "check the address; the feed may be empty for now",
    });
  }
  const limit = Math.max(1, options.limit ?? DEFAULT_FEED_LIMIT);
  const entries = items
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => (b.entry.date ?? -Infinity) - (a.entry.date ?? -Infinity) || a.order - b.order)
    .slice(0, limit)
    .map(({ entry }) => entry);

  const title = titleOf(childNamed(channel, "title")) || (feedLink ? new URL(feedLink).host : "Feed");
  const description = content(childNamed(channel, "description", "subtitle"), base, !atom);
  const shown = `${entries.length === items.length ? `${items.length}` : `the ${entries.length} newest of ${items.length}`} entries`;
  const markdown = [`# ${title}`, [feedLink, shown].filter(Boolean).join(" · "), description.markdown];
  const text = [title, description.text];
  for (const entry of entries) {
    const name = entry.title || entry.text.slice(0, 80) || "Untitled";
    const meta = [entry.date === null ? null : day(entry.date), entry.author].filter(Boolean).join(" · ");
    markdown.push(
      entry.link ? `## [${escapeLinkText(name)}](${escapeUrl(entry.link)})` : `## ${name}`,
      meta,
      entry.markdown,
    );
    text.push([name, entry.link, meta].filter(Boolean).join("\n"), entry.text);
  }
  const plain = text.filter(Boolean).join("\n\n");
  const newest = entries.find((entry) => entry.date !== null)?.date ?? null;
  const updated = parseDate(textOf(childNamed(channel, "updated", "lastbuilddate", "pubdate", "dc:date")));
  return {
    kind: "feed",
    title,
    byline: null,
    published:
      updated !== null
        ? new Date(updated).toISOString()
        : newest !== null
          ? new Date(newest).toISOString()
          : null,
    lang: textOf(childNamed(channel, "language", "dc:language")) || root.getAttribute("xml:lang") || null,
    markdown: markdown.filter(Boolean).join("\n\n"),
    text: plain,
    wordCount: plain.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0,
  };
}
