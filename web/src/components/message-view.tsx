import { useState } from "preact/hooks";
import type { UiMessage } from "../state/ui-message.ts";
import { CallStats } from "./call-stats.tsx";
import { MarkdownView } from "./markdown-view.tsx";
import { memo } from "./memo.ts";

interface MessageViewProps {
  message: UiMessage;
  index: number;
  /** The newest reply: it offers Regenerate. */
  isLastReply: boolean;
  onEdit(index: number, text: string): void;
  onRegenerate(): void;
}

function MessageBody({ message, index, isLastReply, onEdit, onRegenerate }: MessageViewProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const label = message.role === "user" ? "You" : "Assistant";
  if (draft !== null) {
    const submit = (event: Event) => {
      event.preventDefault();
      if (!draft.trim()) return;
      setDraft(null);
      onEdit(index, draft);
    };
    return (
      <article class="message user editing" aria-label="Editing your message">
        <form onSubmit={submit}>
          <label for={`edit-${message.key}`}>Edit your message</label>
          <textarea
            id={`edit-${message.key}`}
            value={draft}
            rows={Math.min(12, draft.split("\n").length + 1)}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") setDraft(null);
            }}
          />
          <div class="message-actions">
            <button type="submit">Save and send</button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      </article>
    );
  }
  return (
    <article class={`message ${message.role} outcome-${message.outcome ?? "none"}`} aria-label={label}>
      <h3 class="message-author">{label}</h3>
      {message.role === "user" ? (
        <p class="user-text">{message.content}</p>
      ) : message.outcome === "error" ? (
        <p class="reply-error" role="alert">
          {message.content}
        </p>
      ) : (
        <MarkdownView text={message.content} />
      )}
      {message.outcome === "aborted" && <p class="note">Stopped.</p>}
      {message.role === "assistant" && message.outcome !== "error" && <CallStats call={message} />}
      <div class="message-actions">
        {message.role === "user" && (
          <button type="button" onClick={() => setDraft(message.content)}>
            Edit
          </button>
        )}
        {isLastReply && (
          <button type="button" onClick={onRegenerate}>
            Regenerate
          </button>
        )}
      </div>
    </article>
  );
}

/** One message; it renders again only when its own props change. */
export const MessageView = memo(MessageBody);
