import type { ControlledEvaluateInputItem, Token } from "node-llama-cpp";
import { LlmuxError } from "../core/errors.ts";
import { localEngine } from "./local-engine.ts";

interface TokenProbability {
  id: number;
  /** The token's text as it would continue `text`. */
  piece: string;
  probability: number;
}

/**
 * The model's distribution over the token that follows `text` (read like a completion prompt:
 * beginning-of-sequence token, then the text), as the softmax of the raw logits over the whole
 * vocabulary, before any sampling setting. Returns the `top` most likely, most likely first.
 */
export async function nextTokenProbabilities(
  modelPath: string,
  text: string,
  options: { top?: number; signal?: AbortSignal } = {},
  engine = localEngine,
): Promise<TokenProbability[]> {
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 1) {
    throw new LlmuxError("bad_request", `top must be a positive whole number (got ${top})`);
  }
  const lease = await engine.acquireSequence(modelPath, options.signal);
  try {
    const { model } = lease.loaded;
    const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
    const tokens: Token[] = [...(bos === null ? [] : [bos]), ...model.tokenize(text, false)];
    if (tokens.length === 0)
      throw new LlmuxError("bad_request", "Give some text to predict the next token of");
    // Greedy sampling (no temperature) leaves the logits untouched, so these are the model's own probabilities.
    const input: ControlledEvaluateInputItem[] = tokens.map((token, index) =>
      index === tokens.length - 1 ? [token, { generateNext: { probabilities: true } }] : token,
    );
    await lease.sequence.clearHistory();
    const output = await lease.sequence.controlledEvaluate(input);
    const probabilities = output.at(-1)?.next.probabilities;
    if (!probabilities)
      throw new LlmuxError("unsupported", `${modelPath} does not produce next-token logits`);
    // The map comes sorted, most likely first.
    return [...probabilities.entries()].slice(0, top).map(([id, probability]) => ({
      id,
      piece: model.detokenize([id], false, tokens),
      probability,
    }));
  } finally {
    lease.release();
  }
}
