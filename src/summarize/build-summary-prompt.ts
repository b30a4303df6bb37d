export const SUMMARY_LENGTHS = ["short", "medium", "long"] as const;
export type SummaryLength = (typeof SUMMARY_LENGTHS)[number];

export interface SummaryPromptOptions {
  /** Default "short". */
  length?: SummaryLength;
  /** Answer in this language (e.g. "French"); default: the model's choice, usually the page's. */
  language?: string;
  /** Replaces the instruction (what to write); the page and the notes steps stay. */
  prompt?: string;
}

export interface PageInfo {
  title: string;
  url: string | null;
}

/** One model call of a summary: the whole page, one part of it, or notes on its parts. */
export type SummaryStep =
  | { kind: "whole" }
  | { kind: "part"; index: number; total: number }
  | { kind: "notes"; final: boolean };

const SYSTEM =
  "You summarize web pages for a reader in a hurry, in Markdown. You ignore what is not the page's own content: navigation, menus, cookie notices, ads, sign-up prompts, footers.";

const INSTRUCTIONS: Record<SummaryLength, string> = {
  short:
    "Write a short Markdown summary of this page: a few sentences or bullet points, at most about 120 words.",
  medium:
    "Write a Markdown summary of this page in about 250 words: one introductory sentence, then the main points.",
  long: "Write a detailed Markdown summary of this page in about 600 words, with a heading for each main topic.",
};

const NEWS = "Ignore navigation. If the page has news or announcements, summarize these too.";

const NOTES =
  "the main points, facts, names, numbers and dates, news and announcements, as concise Markdown bullet points";

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
  const name = `the page "${page.title || "untitled"}"${page.url && /^https?:/.test(page.url) ? ` (${page.url})` : ""}`;
  const answer = [options.prompt?.trim() || `${INSTRUCTIONS[options.length ?? "short"]} ${NEWS}`];
  if (options.language) answer.push(`Answer in ${options.language}.`);
  // Notes must keep whatever a custom instruction will ask for.
  const keep = options.prompt?.trim()
    ? ` The final summary must do this: "${options.prompt.trim()}"; keep what it needs.`
    : "";
  let prompt: string;
  switch (step.kind) {
    case "whole":
      prompt = `Here is the content of ${name}:\n\n<page>\n${content}\n</page>\n\n${answer.join(" ")}`;
      break;
    case "part":
      prompt = `Here is part ${step.index} of ${step.total} of ${name}:\n\n<page-part>\n${content}\n</page-part>\n\nTake notes on this part for a summary of the whole page written later: ${NOTES}. Leave out navigation, ads and boilerplate.${keep}`;
      break;
    case "notes":
      prompt = `Here are notes on consecutive parts of ${name}:\n\n<notes>\n${content}\n</notes>\n\n${
        step.final
          ? `The notes cover the whole page, in order. ${answer.join(" ")}`
          : `Merge these notes into one set of notes: ${NOTES}.${keep}`
      }`;
      break;
  }
  return { system: SYSTEM, prompt };
}
