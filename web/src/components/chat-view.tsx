import { useRef, useState } from "preact/hooks";
import type { AppModelList } from "../../../src/gateway/app/app-api-types.ts";
import { useChatSession } from "../state/use-chat-session.ts";
import { ConversationList } from "./conversation-list.tsx";
import { MessageList } from "./message-list.tsx";
import { ModelPicker } from "./model-picker.tsx";
import { StreamingMarkdown } from "./streaming-markdown.tsx";

interface ChatViewProps {
  models: AppModelList | null;
  /** The conversation to open first (from the address). */
  initialConversationId: string | null;
}

const focusComposer = () => document.getElementById("chat-input")?.focus();

/** Chat with one model: streaming replies, stop, regenerate, edit and resend, saved conversations. */
export function ChatView({ models, initialConversationId }: ChatViewProps) {
  const [draft, setDraft] = useState("");
  const messagesRef = useRef<HTMLDivElement>(null);
  const { state, actions } = useChatSession({
    models,
    initialConversationId,
    revealEnd: (onlyIfFollowing) => {
      const element = messagesRef.current;
      if (!element) return;
      const following = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
      if (onlyIfFollowing && !following) return;
      requestAnimationFrame(() => {
        element.scrollTop = element.scrollHeight;
      });
    },
  });
  const { messages, model, system, temperature, streaming, error } = state;

  const send = () => {
    if (actions.send(draft)) setDraft("");
  };

  const busy = streaming !== null;
  return (
    <div class="chat-layout">
      <aside class="sidebar">
        <ConversationList
          activeId={state.conversationId}
          version={state.savedVersion}
          disabled={busy}
          onOpen={actions.open}
          onNew={() => {
            actions.startNew();
            focusComposer();
          }}
          onDeleted={(id) => {
            if (actions.closeIfOpen(id)) focusComposer();
          }}
        />
      </aside>
      <section class="chat-main" aria-label="Chat">
        <div class="chat-settings">
          <ModelPicker
            id="chat-model"
            label="Model"
            models={models}
            value={model}
            onChange={actions.setModel}
          />
          <details class="advanced">
            <summary>System prompt and temperature</summary>
            <label for="chat-system">System prompt</label>
            <textarea
              id="chat-system"
              rows={3}
              value={system}
              placeholder="You are a helpful assistant."
              onInput={(event) => actions.setSystem(event.currentTarget.value)}
            />
            <label for="chat-temperature">Temperature (0 to 2; empty: the model's default)</label>
            <input
              id="chat-temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onInput={(event) => actions.setTemperature(event.currentTarget.value)}
            />
          </details>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div
          class={`messages${busy ? " busy" : ""}`}
          role="log"
          aria-label="Messages"
          data-follow
          ref={messagesRef}
        >
          {messages.length === 0 && !busy && (
            <p class="note">Ask anything. Enter sends, Shift+Enter adds a line.</p>
          )}
          <MessageList messages={messages} onEdit={actions.edit} onRegenerate={actions.regenerate} />
          {streaming && (
            <article class="message assistant streaming" aria-label="Assistant (replying)" aria-busy="true">
              <h3 class="message-author">Assistant</h3>
              <StreamingMarkdown stream={streaming.stream} />
            </article>
          )}
        </div>
        <form
          class="composer"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
        >
          <label for="chat-input" class="visually-hidden">
            Message
          </label>
          <textarea
            id="chat-input"
            rows={2}
            value={draft}
            placeholder="Message (Enter sends, Shift+Enter for a new line)"
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                send();
              } else if (event.key === "Escape" && busy) actions.stop();
            }}
          />
          {busy ? (
            <button type="button" class="stop" onClick={actions.stop}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!draft.trim() || !model}>
              Send
            </button>
          )}
        </form>
      </section>
    </div>
  );
}
