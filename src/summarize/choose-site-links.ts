import { z } from "zod";
import type { CallResult } from "../client/call-options.ts";
import type { Llmux } from "../client/create-llmux.ts";
import { isLlmuxError } from "../core/errors.ts";
import type { ModelLimits } from "../providers/provider-definition.ts";
import type { SiteLink } from "./collect-site-links.ts";
import { pickLinksByKeywords } from "./pick-links-by-keywords.ts";
import { TEMPLATE_TOKENS } from "./plan-budget.ts";

/** A page to read for the overview, and why. */
export interface ChosenLink {
  url: string;
  text: string;
  reason: string;
}

export interface LinkChoice {
  links: ChosenLink[];
  /** Who chose: the model, or the keyword heuristic after the model's answers were unusable. */
  by: "model" | "keywords";
  /** The choosing calls' results (one, or two with the retry). */
  calls: CallResult[];
}

interface ChooseOptions {
  llmux: Llmux;
  /** The resolved `provider:model`. */
  model: string;
  limits: ModelLimits;
  /** The site's name and address, as the prompt gives them. */
  site: { title: string; url: string };
  count: number;
  signal?: AbortSignal;
  /** Said to the user: why the keywords chose. */
  onNote?: (message: string) => void;
}

const schema = z.object({ links: z.array(z.object({ url: z.string(), reason: z.string() })) });

const SYSTEM = `You are provided with a list of links found on a webpage. You decide which of the links are most relevant for an overview of the company or project behind the site, such as links to an About page, a Company page, Products, Pricing, Customers, or Careers/Jobs pages. Do not choose Terms of Service, Privacy, cookie, login or email links. You respond in JSON, as in this example:
{"links": [{"url": "https://full.url/goes/here/about", "reason": "about page"}, {"url": "https://another.full.url/careers", "reason": "careers page"}]}`;

/** Output tokens per chosen link, with its reason, and the JSON around them. */
const TOKENS_PER_LINK = 60;

/**
 * Asks the model which of a page's same-site links an overview should read (structured output
 * against a JSON schema; local models are held to it by a grammar). An answer that is not such
 * JSON, or names none of the links, gets one more try with the error in the prompt; after that
 * the links are chosen by keywords (pickLinksByKeywords), and onNote says so. Other failures (no
 * key, the network) are the caller's.
 */
export async function chooseSiteLinks(
  links: readonly SiteLink[],
  options: ChooseOptions,
): Promise<LinkChoice> {
  const { limits, count } = options;
  const answerTokens = Math.max(
    64,
    Math.min(TOKENS_PER_LINK * count + 32, Math.floor(limits.contextWindow / 3)),
  );
  const offered = fitLinks(links, options, answerTokens);
  if (offered.length === 0) return byKeywords(links, options, "its context holds none of the links", []);
  const byUrl = new Map(links.map((link) => [link.url, link]));
  const calls: CallResult[] = [];
  let problem: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const prompt = buildPrompt(offered, options.site, count, problem);
    try {
      const result = await options.llmux.generateObject<z.infer<typeof schema>>({
        model: options.model,
        ...(limits.systemRole ? { system: SYSTEM, prompt } : { prompt: `${SYSTEM}\n\n${prompt}` }),
        schema,
        maxTokens: limits.capOutput ? answerTokens : undefined,
        providerOptions: limits.providerOptions,
        signal: options.signal,
      });
      calls.push(result);
      const chosen = known(result.object.links, byUrl, options.site.url, count);
      if (chosen.length > 0) return { links: chosen, by: "model", calls };
      problem = "none of the URLs in it is one of the links listed";
    } catch (error) {
      if (!isLlmuxError(error) || error.kind !== "invalid_output") throw error;
      problem = describeInvalidOutput(error);
    }
  }
  return byKeywords(links, options, `its answer was unusable twice: ${problem}`, calls);
}

function byKeywords(
  links: readonly SiteLink[],
  options: ChooseOptions,
  why: string,
  calls: CallResult[],
): LinkChoice {
  const picked = pickLinksByKeywords(links, options.count);
  options.onNote?.(
    `the model did not choose the pages to read (${why}); ${picked.length} chosen by keywords in their address and text instead`,
  );
  return { links: picked.map((link) => ({ ...link, reason: "keywords" })), by: "keywords", calls };
}

function buildPrompt(
  links: readonly SiteLink[],
  site: ChooseOptions["site"],
  count: number,
  problem: string | undefined,
): string {
  const list = links.map((link) => `${link.url}${link.text ? ` (${link.text})` : ""}`).join("\n");
  const retry = problem
    ? `\n\nYour previous answer could not be used: ${problem}. Answer again with only the JSON object, choosing URLs from the list exactly as written.`
    : "";
  return `Here is the list of links on the website "${site.title || site.url}" (${site.url}). Decide which of them are worth reading for an overview of the site: at most ${count}, the most useful first. Respond with the full URLs, as listed, in JSON.\n\nLinks:\n${list}${retry}`;
}

/** As many links as the context holds beside the prompt and the answer, in page order. */
function fitLinks(links: readonly SiteLink[], options: ChooseOptions, answerTokens: number): SiteLink[] {
  const { countTokens, contextWindow } = options.limits;
  // Room for the retry's sentence too, so the second prompt fits as the first did.
  const frame = countTokens(`${SYSTEM}\n\n${buildPrompt([], options.site, options.count, "x".repeat(200))}`);
  let room = contextWindow - TEMPLATE_TOKENS - answerTokens - frame;
  const fitted: SiteLink[] = [];
  for (const link of links) {
    room -= countTokens(`${link.url}${link.text ? ` (${link.text})` : ""}\n`);
    if (room < 0) break;
    fitted.push(link);
  }
  return fitted;
}

/** The model's URLs that are links of the page (resolved, as the course's prompt allows relative ones), once each. */
function known(
  answer: readonly { url: string; reason: string }[],
  byUrl: ReadonlyMap<string, SiteLink>,
  base: string,
  count: number,
): ChosenLink[] {
  const chosen = new Map<string, ChosenLink>();
  for (const { url, reason } of answer) {
    let href: string;
    try {
      const resolved = new URL(url.trim(), base);
      resolved.hash = "";
      href = resolved.href;
    } catch {
      continue;
    }
    const link = byUrl.get(href);
    if (link && !chosen.has(href)) chosen.set(href, { ...link, reason: reason.trim().slice(0, 200) });
    if (chosen.size === count) break;
  }
  return [...chosen.values()];
}

/** The parse or validation error under an invalid_output, in a line, for the model to read. */
function describeInvalidOutput(error: Error): string {
  let cause: unknown = error.cause;
  let detail = "";
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    detail = cause.message;
    cause = cause.cause;
  }
  const line = (detail || error.message).replace(/\s+/g, " ").trim();
  return `it was not valid JSON for the schema: ${line.length > 200 ? `${line.slice(0, 199)}…` : line}`;
}
