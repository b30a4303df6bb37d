import { estimateTokens } from "../../providers/estimate-tokens.ts";
import type { WorstCase } from "./reserve-budget.ts";

/**
 * What a chat request may cost at most: its whole body counted as prompt (JSON syntax, tools and
 * all) with the stored conversation it continues, if any: an upper bound, or close.
 */
export function requestWorstCase(
  body: Buffer,
  maxOutputTokens: number | undefined,
  continued = "",
): WorstCase {
  return {
    inputTokens: estimateTokens(body.toString("utf8")) + estimateTokens(continued),
    maxOutputTokens,
  };
}
