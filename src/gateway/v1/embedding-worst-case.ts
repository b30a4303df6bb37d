import { estimateTokens } from "../../providers/estimate-tokens.ts";
import type { WorstCase } from "./reserve-budget.ts";

/** What embedding `values` may cost at most: their tokens (and one apiece), and no output. */
export function embeddingWorstCase(values: readonly string[]): WorstCase {
  return {
    inputTokens: values.reduce((sum, value) => sum + estimateTokens(value) + 1, 0),
    maxOutputTokens: 0,
  };
}
