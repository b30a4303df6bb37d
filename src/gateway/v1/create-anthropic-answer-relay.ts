import { convertAnthropicMessage } from "../anthropic/convert-anthropic-message.ts";
import { createAnthropicStreamReader } from "../anthropic/create-anthropic-stream-reader.ts";
import { createAnswerRelay } from "./create-answer-relay.ts";
import type { Relay } from "./relay-upstream.ts";

/**
 * Anthropic's Messages API answer (SSE events, or one JSON message) in the client's dialect, read
 * straight from the bytes: the gateway's fast path for Anthropic, which skips the AI SDK's
 * web-stream pipeline (about 1 ms of CPU per streamed answer). The Anthropic reader (anthropic/)
 * gives the provider layer's parts; `encoder` (streams) or `whole` writes them as the client
 * reads them. The request itself is built by the AI SDK.
 */
export function createAnthropicAnswerRelay(
  options: Omit<Parameters<typeof createAnswerRelay>[0], "reader">,
): Relay {
  return createAnswerRelay({
    ...options,
    reader: { stream: createAnthropicStreamReader, whole: convertAnthropicMessage },
  });
}
