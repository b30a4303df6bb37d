import type { ConversationMessage } from "../../../src/gateway/app/app-api-types.ts";

/** A saved message plus the key that keeps its component across list changes. */
export interface UiMessage extends ConversationMessage {
  key: number;
}

let nextKey = 1;

export function toUiMessage(message: ConversationMessage): UiMessage {
  return { ...message, key: nextKey++ };
}

export function toStoredMessage({ key: _, ...message }: UiMessage): ConversationMessage {
  return message;
}
