import { LlmuxError } from "../../core/errors.ts";

/**
 * An error a provider reported inside its answer, as its own object (Anthropic: {type, message}):
 * an overloaded or failing provider is a provider_error, worth a retry or a fallback.
 */
export function toStreamError(error: unknown, providerLabel: string): Error {
  if (error instanceof Error) return error;
  const { message, type } = (error ?? {}) as { message?: unknown; type?: unknown };
  const detail = typeof message === "string" ? message : JSON.stringify(error);
  return new LlmuxError(
    "provider_error",
    `${providerLabel} reported an error mid-answer: ${detail}${typeof type === "string" ? ` (${type})` : ""}`,
    { hint: "Try again in a moment" },
  );
}
