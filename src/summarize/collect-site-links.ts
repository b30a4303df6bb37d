/** A link of a page to another page of the same site. */
export interface SiteLink {
  /** Absolute, without its fragment. */
  url: string;
  /** The link's text (or title), short; "" when it has none. */
  text: string;
}

/** Enough for any site's menus and footers; a page listing more is cut at this many. */
const MAX_LINKS = 150;
/** Anchors looked at, at most: a page of a million links costs no more than a normal one. */
const MAX_ANCHORS = 5000;
const MAX_TEXT = 80;
/** Files, not pages: nothing an overview reads. */
const ASSET =
  /\.(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|tiff?|css|js|mjs|map|json|xml|rss|atom|txt|pdf|zip|gz|tgz|bz2|xz|rar|7z|tar|mp3|mp4|m4a|wav|ogg|webm|mov|avi|mkv|woff2?|ttf|otf|eot|exe|msi|dmg|pkg|deb|rpm|apk|iso|csv|docx?|xlsx?|pptx?)$/i;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The links of an HTML page to other pages of its own site (same origin), resolved, deduplicated,
 * in page order: navigation and footers included, which the reader leaves out of the article.
 * Scanned with linear patterns on the raw HTML, not parsed: the page is the site's, and parsing
 * hostile HTML belongs in the reader's worker threads.
 */
export function collectSiteLinks(html: string, pageUrl: string): SiteLink[] {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    return [];
  }
  const base = baseOf(html, page);
  const seen = new Map<string, SiteLink>();
  const anchor = /<a\b([^>]*)>/gi;
  let anchors = 0;
  for (
    let match = anchor.exec(html);
    match && seen.size < MAX_LINKS && anchors++ < MAX_ANCHORS;
    match = anchor.exec(html)
  ) {
    const attributes = match[1] ?? "";
    const href = attribute(attributes, "href");
    if (href === undefined || /^\s*(?:#|mailto:|tel:|javascript:|data:)/i.test(href)) continue;
    let url: URL;
    try {
      url = new URL(decodeEntities(href.trim()), base);
    } catch {
      continue;
    }
    url.hash = "";
    if (url.origin !== page.origin || ASSET.test(url.pathname)) continue;
    if (url.pathname === page.pathname && url.search === page.search) continue;
    const end = anchor.lastIndex;
    const close = html.slice(end, end + 2000).search(/<\/a\s*>/i);
    const inner = close < 0 ? "" : html.slice(end, end + close);
    const text = clean(inner.replace(/<[^>]*>/g, " ")) || clean(attribute(attributes, "title") ?? "");
    const known = seen.get(url.href);
    if (!known) seen.set(url.href, { url: url.href, text });
    else if (!known.text) known.text = text;
  }
  return [...seen.values()];
}

function baseOf(html: string, page: URL): URL {
  const tag = /<base\b([^>]*)>/i.exec(html);
  const href = tag ? attribute(tag[1] ?? "", "href") : undefined;
  try {
    return href ? new URL(decodeEntities(href.trim()), page) : page;
  } catch {
    return page;
  }
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i").exec(
    attributes,
  );
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : undefined;
}

function clean(text: string): string {
  const flat = decodeEntities(text).replace(/\s+/g, " ").trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}
