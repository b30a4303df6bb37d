import type { UiMessage } from "../state/ui-message.ts";
import { memo } from "./memo.ts";
import { MessageView } from "./message-view.tsx";

interface MessageListProps {
  messages: readonly UiMessage[];
  onEdit(index: number, text: string): void;
  onRegenerate(): void;
}

function MessageListBody({ messages, onEdit, onRegenerate }: MessageListProps) {
  const last = messages.length - 1;
  return (
    <>
      {messages.map((message, index) => (
        <MessageView
          key={message.key}
          message={message}
          index={index}
          isLastReply={index === last && message.role === "assistant"}
          onEdit={onEdit}
          onRegenerate={onRegenerate}
        />
      ))}
    </>
  );
}

/** The saved messages; typing in the message box or a streaming reply does not render it again. */
export const MessageList = memo(MessageListBody);
