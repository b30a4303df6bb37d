import { isLlmuxError } from "../core/errors.ts";
import { redactSecrets } from "../core/redact-secrets.ts";

/** The one line a command prints for an error: what happened and what to do, secrets redacted. */
export function describeError(error: unknown): string {
  if (isLlmuxError(error)) return redactSecrets(error.userMessage);
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${redactSecrets(message)}. Run again with --debug and report it`;
}
