import type { TokenUsage } from "../../catalog/compute-cost.ts";

// The names of the counts in OpenAI's chat completions (and embeddings), and in its Responses API.
const CHAT = { input: '"prompt_tokens"', output: '"completion_tokens"' };
const RESPONSES = { input: '"input_tokens"', output: '"output_tokens"' };

/**
 * The token counts of the last OpenAI `usage` object in `body` (a response body, or the tail of
 * an SSE stream): chat completions' (`prompt_tokens`), else the Responses API's (`input_tokens`,
 * in `response.completed`). Found by byte search rather than by parsing every chunk: the
 * forwarded bytes are never decoded. Undefined when no usage was sent.
 */
export function scanUsage(body: Buffer): TokenUsage | undefined {
  let names = CHAT;
  let at = body.lastIndexOf(CHAT.input);
  if (at < 0) {
    names = RESPONSES;
    at = body.lastIndexOf(RESPONSES.input);
    if (at < 0) return undefined;
  }
  // The usage object starts a little before the input count; the output count and the details follow.
  const start = body.lastIndexOf('"usage"', at);
  const from = start < 0 ? at : start;
  const inputTokens = numberAfter(body, names.input, from);
  if (inputTokens === undefined) return undefined;
  // Embeddings report prompt tokens only.
  const outputTokens = numberAfter(body, names.output, from) ?? 0;
  const cachedInputTokens = numberAfter(body, '"cached_tokens"', from);
  return cachedInputTokens === undefined
    ? { inputTokens, outputTokens }
    : { inputTokens, outputTokens, cachedInputTokens };
}

function numberAfter(body: Buffer, name: string, from: number): number | undefined {
  const at = body.indexOf(name, from);
  if (at < 0) return undefined;
  let i = at + name.length;
  while (body[i] === 32 || body[i] === 58) i++; // spaces and the colon
  let value = 0;
  let digits = 0;
  for (let c = body[i]; c !== undefined && c >= 48 && c <= 57; c = body[++i]) {
    value = value * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? value : undefined;
}
