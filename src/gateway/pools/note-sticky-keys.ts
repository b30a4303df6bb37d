import type { IncomingMessage } from "node:http";
import type { AttemptState } from "../v1/attempt-state.ts";

/**
 * Notes on `state` who asks, for pools with `sticky`: the body's user id (`user`, empty or not a
 * string: none) and the `x-llmux-session` header (a conversation's id, chosen by the client).
 */
export function noteStickyKeys(state: AttemptState, req: IncomingMessage, user: unknown): void {
  if (typeof user === "string" && user !== "") state.stickyUser = user;
  const session = req.headers["x-llmux-session"];
  if (typeof session === "string" && session !== "") state.stickySession = session;
}
