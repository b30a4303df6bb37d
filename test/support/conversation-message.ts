import type { ConversationMessage } from "../../src/store/conversation-store.ts";

/** A stored conversation message: `role` and `content`, the rest null unless `extra` says. */
export function conversationMessage(
  role: "user" | "assistant",
  content: string,
  extra: Partial<ConversationMessage> = {},
) {
  return {
    role,
    content,
    model: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    latencyMs: null,
    timeToFirstTokenMs: null,
    outcome: null,
    ...extra,
  } satisfies ConversationMessage;
}
