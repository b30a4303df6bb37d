import { resolveSummaryLength, type SummaryLength } from "./summary-lengths.ts";

export type { SummaryLength } from "./summary-lengths.ts";

export interface SummaryPromptOptions {
  /** A preset or a target in characters; default "short". */
  length?: SummaryLength;
  /** Answer in this language (e.g. "French"); default: the model's choice, usually the page's. */
  language?: string;
  /** Replaces the instruction (what to write); the page and the notes steps stay. */
  prompt?: string;
  /** The content is several pages of one website: write an overview of it, or a company brochure. */
  site?: "overview" | "brochure";
}

export interface PageInfo {
  title: string;
  url: string | null;
  /** A digest of a feed's newest entries (with their links), not one page. */
  feed?: boolean;
}

/** One model call of a summary: the whole page, one part of it, or notes on its parts. */
export type SummaryStep =
  | { kind: "whole" }
  | { kind: "part"; index: number; total: number }
  | { kind: "notes"; final: boolean };

const SYSTEM =
  "You summarize web pages for a reader in a hurry, in Markdown. You ignore what is not the page's own content: navigation, menus, cookie notices, ads, sign-up prompts, footers.";

/** For a site, the system prompt says what to write; the length is said in characters. */
const SITE_SYSTEM = {
  overview:
    "You write overviews of websites from the contents of several of their pages, in Markdown. You ignore what is not the site's own content: navigation, menus, cookie notices, ads, sign-up prompts, footers.",
  // The course's brochure prompt, which our users know.
  brochure:
    "You are an assistant that analyzes the contents of several relevant pages from a company website and creates a short brochure about the company for prospective customers, investors and recruits. Respond in Markdown. Include details of company culture, customers and careers/jobs if you have the information.",
} as const;

const SITE_INSTRUCTIONS = {
  overview:
    "Write an overview of this website in Markdown: who runs it and what they do, their products or services, prices and anything else a newcomer should know.",
  brochure: "Write a short brochure about the company in Markdown.",
} as const;

const NEWS = "Ignore navigation. If the page has news or announcements, summarize these too.";

const NOTES =
  "the main points, facts, names, numbers and dates, news and announcements, as concise Markdown bullet points";

const FEED =
  "It is a feed's newest entries: write a digest, each entry worth reading as a bullet with its Markdown link.";
const FEED_NOTES = " Keep each entry's Markdown link.";

/**
 * The system prompt and the user prompt of one step. The content comes before the instruction,
 * so that the instruction is the last thing the model reads, however long the page.
 */
export function buildSummaryPrompt(
  step: SummaryStep,
  page: PageInfo,
  content: string,
  options: SummaryPromptOptions = {},
): { system: string; prompt: string } {
  const what = options.site ? "website" : page.feed ? "feed" : "page";
  const name = `the ${what} "${page.title || "untitled"}"${page.url && /^https?:/.test(page.url) ? ` (${page.url})` : ""}`;
  const target = resolveSummaryLength(options.length);
  const instruction = options.site
    ? `${SITE_INSTRUCTIONS[options.site]} Keep it to about ${target.characters} characters.`
    : `${target.instruction} ${page.feed ? FEED : NEWS}`;
  const answer = [options.prompt?.trim() || instruction];
  if (options.language) answer.push(`Answer in ${options.language}.`);
  // Notes must keep whatever a custom instruction will ask for.
  const keep = `${page.feed ? FEED_NOTES : ""}${
    options.prompt?.trim()
      ? ` The final summary must do this: "${options.prompt.trim()}"; keep what it needs.`
      : ""
  }`;
  let prompt: string;
  switch (step.kind) {
    case "whole":
      prompt = `Here is the content of ${name}:\n\n<page>\n${content}\n</page>\n\n${answer.join(" ")}`;
      break;
    case "part":
      prompt = `Here is part ${step.index} of ${step.total} of ${name}:\n\n<page-part>\n${content}\n</page-part>\n\nTake notes on this part for a summary of the whole ${what} written later: ${NOTES}. Leave out navigation, ads and boilerplate.${keep}`;
      break;
    case "notes":
      prompt = `Here are notes on consecutive parts of ${name}:\n\n<notes>\n${content}\n</notes>\n\n${
        step.final
          ? `The notes cover the whole ${what}, in order. ${answer.join(" ")}`
          : `Merge these notes into one set of notes: ${NOTES}.${keep}`
      }`;
      break;
  }
  return { system: options.site ? SITE_SYSTEM[options.site] : SYSTEM, prompt };
}
