import { LlmuxError } from "../core/errors.ts";

interface BudgetRequest {
  /** The context the model has (or the one the caller caps it to), in tokens. */
  contextWindow: number;
  /** The longest prompt around the content: system prompt, page header, instruction. */
  promptTokens: number;
  /** Wanted for the final answer. */
  answerTokens: number;
  /** Wanted for the notes on each part. */
  noteTokens: number;
  /** False when token counts are estimates: the chunks then keep a margin. */
  exact: boolean;
}

interface Budget {
  /** The most content tokens one call may carry. */
  chunkTokens: number;
  answerTokens: number;
  noteTokens: number;
}

/** Room for the chat template's own tokens (role headers, BOS, a default system line). */
export const TEMPLATE_TOKENS = 64;
/** Long inputs lower recall even in large contexts; past this a page is summarized in parts. */
export const MAX_CHUNK_TOKENS = 64_000;
const MIN_ROOM = 128;

/**
 * Splits the context between the prompt, the content and the answer. The answer gets at most
 * half of what the prompt leaves; notes at most a third of a chunk, so that the notes on three
 * parts or more fit one call and each combining round shrinks the notes.
 */
export function planBudget(request: BudgetRequest): Budget {
  const room = request.contextWindow - request.promptTokens - TEMPLATE_TOKENS;
  if (room < MIN_ROOM) {
    throw new LlmuxError(
      "bad_request",
      `The model's context of ${request.contextWindow} tokens leaves no room for the page after the ${request.promptTokens}-token prompt`,
      { hint: "Use a model with a larger context, or a shorter --prompt" },
    );
  }
  const answerTokens = Math.max(1, Math.min(request.answerTokens, Math.floor(room / 2)));
  const left = room - answerTokens;
  const chunkTokens = Math.min(MAX_CHUNK_TOKENS, request.exact ? left : Math.floor(left * 0.9));
  const noteTokens = Math.max(1, Math.min(request.noteTokens, answerTokens, Math.floor(chunkTokens / 3)));
  return { chunkTokens, answerTokens, noteTokens };
}
