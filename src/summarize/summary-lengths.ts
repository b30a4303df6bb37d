import { LlmuxError } from "../core/errors.ts";

export const SUMMARY_LENGTH_PRESETS = ["short", "medium", "long", "xl"] as const;
/** A preset, or a target in characters. */
export type SummaryLength = (typeof SUMMARY_LENGTH_PRESETS)[number] | number;

interface LengthTarget {
  /** About how long the summary should be, in characters. */
  characters: number;
  /** The cap on the final answer's tokens: room above the target, so the model is not cut short. */
  answerTokens: number;
  /** What the model is asked to write. */
  instruction: string;
}

/** The one table of lengths: each preset's character target, answer cap and instruction. */
const PRESETS: Record<(typeof SUMMARY_LENGTH_PRESETS)[number], LengthTarget> = {
  short: {
    characters: 800,
    answerTokens: 400,
    instruction:
      "Write a short Markdown summary of this page: a few sentences or bullet points, at most about 120 words.",
  },
  medium: {
    characters: 1600,
    answerTokens: 800,
    instruction:
      "Write a Markdown summary of this page in about 250 words: one introductory sentence, then the main points.",
  },
  long: {
    characters: 4000,
    answerTokens: 1600,
    instruction:
      "Write a detailed Markdown summary of this page in about 600 words, with a heading for each main topic.",
  },
  xl: {
    characters: 8000,
    answerTokens: 3200,
    instruction:
      "Write a thorough Markdown summary of this page in about 1,200 words, with a heading for each main topic and the important details under it.",
  },
};

/** The range a character target may take: below it no summary is worth a call, above it no answer fits. */
export const MIN_TARGET_CHARACTERS = 100;
export const MAX_TARGET_CHARACTERS = 50_000;

/**
 * A length's target and answer cap. A character target gets about a token per 3 characters of
 * room (English runs near 4), plus a little for the Markdown around it.
 */
export function resolveSummaryLength(length: SummaryLength = "short"): LengthTarget {
  if (typeof length === "string") return PRESETS[length];
  const words = Math.max(10, Math.round(length / 6 / 10) * 10);
  return {
    characters: length,
    answerTokens: Math.ceil(length / 3) + 64,
    instruction: `Write a Markdown summary of this page in about ${length} characters (about ${words} words).`,
  };
}

/**
 * `--length` (or the web app's `length`, named by `name`) as given: a preset name or a whole number of characters
 * in range; anything else is one usage error saying what is accepted.
 */
export function parseSummaryLength(value: string, name = "--length"): SummaryLength {
  const preset = SUMMARY_LENGTH_PRESETS.find((name) => name === value.trim().toLowerCase());
  if (preset) return preset;
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (number >= MIN_TARGET_CHARACTERS && number <= MAX_TARGET_CHARACTERS) return number;
  throw new LlmuxError(
    "usage",
    `${name} must be short, medium, long, xl or a number of characters from ${MIN_TARGET_CHARACTERS} to ${MAX_TARGET_CHARACTERS}, got "${value}"`,
    { hint: "e.g. --length long or --length 1500; see `llmux summarize --help`" },
  );
}
