import { anthropicDialect } from "./anthropic-dialect.ts";

/** A failure after the stream began, as the `error` event Anthropic ends a stream with. */
export function toAnthropicErrorEvent(error: unknown): string {
  return `event: error\ndata: ${JSON.stringify(anthropicDialect.toErrorResponse(error).body)}\n\n`;
}
