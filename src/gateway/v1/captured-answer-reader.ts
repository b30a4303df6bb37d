import { convertAnthropicMessage } from "../anthropic/convert-anthropic-message.ts";
import { createAnthropicStreamReader } from "../anthropic/create-anthropic-stream-reader.ts";
import { convertOpenAICompletion } from "../openai/convert-openai-completion.ts";
import { createOpenAIStreamReader } from "../openai/create-openai-stream-reader.ts";
import type { AnswerReader } from "./create-answer-relay.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import type { GatewayContext } from "./gateway-context.ts";

/**
 * How the gateway reads a translated call's answer straight from its bytes (the fast path: the
 * AI SDK builds the request, its response pipeline costs more than the rest), for the upstreams
 * whose answers it can read: Anthropic's Messages API, and OpenAI's chat completions (OpenAI's
 * own and the configured OpenAI-compatible endpoints). Undefined for the others: the SDK reads
 * theirs.
 */
export function capturedAnswerReader(context: GatewayContext, route: ModelRoute): AnswerReader | undefined {
  const { provider, definition } = route.resolved;
  if (provider === "anthropic") {
    return { stream: createAnthropicStreamReader, whole: convertAnthropicMessage };
  }
  if (provider === "openai" || context.config.file.endpoints[provider] !== undefined) {
    const label = definition.label;
    return {
      stream: (onPart) => createOpenAIStreamReader(onPart, label),
      whole: (text) => convertOpenAICompletion(text, label),
    };
  }
  return undefined;
}
