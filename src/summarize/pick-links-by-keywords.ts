import type { SiteLink } from "./collect-site-links.ts";

/** What an overview of a company or project reads first, by the words in a link's URL or text. */
const KEYWORDS = [
  "about",
  "company",
  "team",
  "mission",
  "story",
  "who-we-are",
  "product",
  "service",
  "solution",
  "feature",
  "pricing",
  "price",
  "plans",
  "customer",
  "case-stud",
  "career",
  "jobs",
  "join",
  "news",
  "blog",
  "press",
  "investor",
  "contact",
];
/** Pages no overview needs. */
const SKIP = [
  "privacy",
  "terms",
  "cookie",
  "legal",
  "login",
  "log-in",
  "signin",
  "sign-in",
  "signup",
  "sign-up",
  "cart",
];

/**
 * The links to read when the model could not choose: those whose URL path or text names what an
 * overview needs (about, products, pricing, careers...), most matches first, then page order;
 * when none does, the first links of the page.
 */
export function pickLinksByKeywords(links: readonly SiteLink[], count: number): SiteLink[] {
  const scored = links
    .map((link, index) => {
      const words = `${new URL(link.url).pathname} ${link.text}`.toLowerCase();
      const skip = SKIP.some((word) => words.includes(word));
      return { link, index, score: skip ? -1 : KEYWORDS.filter((word) => words.includes(word)).length };
    })
    .filter(({ score }) => score >= 0);
  const matching = scored
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  return (matching.length > 0 ? matching : scored).slice(0, count).map(({ link }) => link);
}
