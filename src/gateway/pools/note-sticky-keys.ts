import type { IncomingMessage } from "node:http";
import type { AttemptState } from "../v1/attempt-state.ts";

/**
 * Notes on `state` who asks, for pools with `sticky`: the body's user id (`user`) and the
 * conversation: the `x-llmux-session` header, else the body's `prompt_cache_key` (OpenAI's key for
 * its prompt cache, which is what stickiness is for), else the session id a coding agent sends on
 * every request (Claude Code's `x-claude-code-session-id`, Codex's `session_id`, as its source names
 * it, or `session-id`, as it was recorded in ../shared/client-requests).
 */
export function noteStickyKeys(
  state: AttemptState,
  req: IncomingMessage,
  user: unknown,
  promptCacheKey?: unknown,
): void {
  const { headers } = req;
  state.stickyUser = nonEmpty(user);
  state.stickySession =
    nonEmpty(headers["x-llmux-session"]) ??
    nonEmpty(promptCacheKey) ??
    nonEmpty(headers["x-claude-code-session-id"]) ??
    nonEmpty(headers.session_id) ??
    nonEmpty(headers["session-id"]);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
