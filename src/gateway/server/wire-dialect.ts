/**
 * One wire format the gateway speaks to clients (OpenAI chat completions, Anthropic Messages,
 * Ollama, OpenAI Responses). The serving core asks it how to answer an error, so that a refusal
 * reaches each client in the shape its SDK parses; /metrics and the usage log name it.
 */
export interface WireDialect {
  /** The `dialect` label in /metrics. */
  name: string;
  /** The HTTP status and JSON body of `error` in this dialect. */
  toErrorResponse(error: unknown): { status: number; body: unknown };
}
