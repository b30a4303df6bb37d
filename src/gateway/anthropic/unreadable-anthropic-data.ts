import { LlmuxError } from "../../core/errors.ts";

/** The error for a body or event from Anthropic that the gateway cannot parse, quoting its first 200 characters. */
export function unreadableAnthropicData(what: "answer" | "event", text: string, why: string): LlmuxError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new LlmuxError(
    "provider_error",
    `Anthropic sent an ${what} the gateway cannot read (${why}): ${shown}`,
    {
      hint: "Try again in a moment",
    },
  );
}
