// Generic boilerplate rules applied before Readability, which keeps too much on news pages
// (related links, share bars, captions, newsletter boxes): precision is where it loses.

const DROP_TAGS =
  "nav, aside, footer, figcaption, button, select, textarea, input, iframe, dialog, svg, noscript";
const DROP_ROLES =
  '[role="navigation"], [role="complementary"], [role="contentinfo"], [role="banner"], [role="search"], [role="dialog"], [role="alertdialog"], [hidden], [aria-hidden="true"]';

/** class/id words that mark page furniture rather than the article. */
const BOILERPLATE =
  /share|sharing|related|recommend|newsletter|subscri|signup|sign-up|promo|advert|sponsor|cookie|consent|gdpr|breadcrumb|comment|disqus|author-?bio|about-?author|read-?more|more-?stories|popular|trending|most-?read|outbrain|taboola|teaser|caption|credit|gallery|slideshow|toolbar|widget|sidebar|screen-?reader|sr-only|visually-?hidden|skip-?link|paywall|modal|popup|masthead|site-?header|site-?footer|footer|byline|dateline|timestamp|pagination|pager|tags?-?list|^tags?$|(^|[\s_-])(ad|ads|tags?|rail|meta|print|follow|author|topics?)([\s_-]|$)/i;

/** Words that mark the article itself; an element that has them is never dropped by class. */
const CONTENT =
  /article-?body|post-?body|entry-?content|post-?content|story-?body|main-?content|(^|[\s_-])(content|article|body|main|story|post)([\s_-]|$)/i;

function words(text: string | null): number {
  return text ? text.split(/\s+/).filter(Boolean).length : 0;
}

/** Text inside links over all text; navigation and related-article blocks are mostly links. */
function linkDensity(el: Element, textLength: number): number {
  if (textLength === 0) return 0;
  let linked = 0;
  for (const a of el.querySelectorAll("a")) linked += (a.textContent ?? "").trim().length;
  return linked / textLength;
}

/** Removes navigation, widgets and other page furniture from a parsed page, in place. */
export function pruneBoilerplate(doc: Document): void {
  const body = doc.body;
  if (!body) return;
  for (const el of body.querySelectorAll(`${DROP_TAGS}, ${DROP_ROLES}`)) el.remove();

  const total = words(body.textContent);
  // Never drop a block holding a large share of the page: that is the article, whatever its name.
  const limit = Math.max(120, total * 0.25);
  for (const el of body.querySelectorAll("[class], [id]")) {
    if (!el.isConnected) continue;
    const tag = el.localName.toLowerCase();
    if (tag === "html" || tag === "body" || tag === "main" || tag === "article" || tag === "p") continue;
    const names = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`;
    if (!BOILERPLATE.test(names) || CONTENT.test(names)) continue;
    if (words(el.textContent) > limit) continue;
    el.remove();
  }

  // Lists and short blocks made mostly of links: related stories, tag clouds, share bars.
  for (const el of body.querySelectorAll("ul, ol, div, section")) {
    if (!el.isConnected) continue;
    const text = (el.textContent ?? "").trim();
    if (text.length === 0) continue;
    const density = linkDensity(el, text.length);
    const isList = /^[uo]l$/i.test(el.localName);
    if (
      (isList && density > 0.6 && el.children.length >= 3) ||
      (!isList && text.length < 200 && density > 0.8)
    )
      el.remove();
  }
}
