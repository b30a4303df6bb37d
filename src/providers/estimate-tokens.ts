const NON_ASCII = /[^\x00-\x7f]/gu;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * An estimate, not a count, for models whose tokenizer llmux does not have: about 3.5
 * characters per token for ASCII text (4 is typical for English; rounding down leaves a margin),
 * one token per CJK character, two characters per token for other scripts.
 */
export function estimateTokens(text: string): number {
  const nonAscii = text.match(NON_ASCII)?.length ?? 0;
  const wide = text.match(WIDE)?.length ?? 0;
  const ascii = text.replace(NON_ASCII, "").length;
  return Math.ceil(ascii / 3.5 + wide + (nonAscii - wide) / 2);
}
