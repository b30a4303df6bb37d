// Readability keeps promotional lines woven into the article body: "Related: …", "READ MORE",
// shouted cross-links to other stories. They are short, mostly a link, and say so.
const PROMO_START =
  /^(related|read more|read also|also read|see also|more|watch|click here|recommended|don't miss|must read)\b/i;

function isShouting(text: string): boolean {
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  const lower = text.match(/\p{Ll}/gu)?.length ?? 0;
  return upper >= 8 && lower <= upper * 0.1;
}

/** Removes short promotional blocks from Readability's article element, in place. */
export function cleanArticle(article: Element): void {
  for (const el of article.querySelectorAll("p, li, h2, h3, h4, h5, h6, div")) {
    if (!el.parentNode || el.querySelector("p, div, ul, ol, table, pre, blockquote")) continue;
    const text = (el.textContent ?? "").trim();
    if (text.length === 0 || text.length > 200) continue;
    let linked = 0;
    for (const a of el.querySelectorAll("a")) linked += (a.textContent ?? "").trim().length;
    if (linked === 0) continue;
    const density = linked / text.length;
    if ((density > 0.9 && isShouting(text)) || (density > 0.5 && PROMO_START.test(text))) el.remove();
  }
}
