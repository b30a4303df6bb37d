import { createChunkEncoder } from "../openai/create-chunk-encoder.ts";
import { type CompletionMeta, toChatCompletion } from "../openai/to-chat-completion.ts";
import { createAnthropicAnswerRelay } from "./create-anthropic-answer-relay.ts";
import type { Relay } from "./relay-upstream.ts";

/**
 * Anthropic's Messages API answer (SSE events, or one JSON message) as an OpenAI chat completion,
 * read straight from the bytes (see createAnthropicAnswerRelay): the OpenAI encoder (openai/)
 * writes what the Anthropic reader gives.
 */
export function createAnthropicRelay(options: {
  meta: CompletionMeta;
  stream: boolean;
  includeUsage: boolean;
  providerLabel: string;
}): Relay {
  return createAnthropicAnswerRelay({
    providerLabel: options.providerLabel,
    encoder: options.stream ? createChunkEncoder(options.meta, options.includeUsage) : undefined,
    whole: (result) => JSON.stringify(toChatCompletion(result, options.meta)),
  });
}
