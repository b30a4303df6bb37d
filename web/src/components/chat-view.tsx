import { useEffect, useRef, useState } from "preact/hooks";
import type { AppModelList } from "../../../src/gateway/app/list-app-models.ts";
import type { Conversation } from "../../../src/store/conversation-store.ts";
import { requestJson } from "../api/request-json.ts";
import { type ChatTurn, streamChatCompletion } from "../api/stream-chat-completion.ts";
import { costOfCall } from "../cost-of-call.ts";
import { createTextStream, type TextStream } from "../state/create-text-stream.ts";
import { toStoredMessage, toUiMessage, type UiMessage } from "../state/ui-message.ts";
import { ConversationList } from "./conversation-list.tsx";
import { MessageList } from "./message-list.tsx";
import { ModelPicker } from "./model-picker.tsx";
import { StreamingMarkdown } from "./streaming-markdown.tsx";

export interface ChatViewProps {
  models: AppModelList | null;
  /** The conversation to open first (from the address). */
  initialConversationId: string | null;
}

interface Streaming {
  stream: TextStream;
  model: string;
}

const emptyFacts = {
  model: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  latencyMs: null,
  timeToFirstTokenMs: null,
  outcome: null,
} as const;

function titleOf(messages: readonly UiMessage[]): string {
  const first =
    messages
      .find((m) => m.role === "user")
      ?.content.trim()
      .replace(/\s+/g, " ") ?? "";
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Chat with one model: streaming replies, stop, regenerate, edit and resend, saved conversations. */
export function ChatView({ models, initialConversationId }: ChatViewProps) {
  const [conversationId, setConversationId] = useState<string | null>(initialConversationId);
  const [messages, setMessages] = useState<UiMessage[]>([]);
  const [draft, setDraft] = useState("");
  const [model, setModel] = useState("");
  const [system, setSystem] = useState("");
  const [temperature, setTemperature] = useState("");
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const abortRef = useRef<AbortController | null>(null);
  const messagesRef = useRef<HTMLDivElement>(null);
  const saveQueue = useRef(Promise.resolve());
  // Callbacks handed to the memoized list must keep their identity, so they read the latest state here.
  const latest = useRef({ messages, model, system, temperature, conversationId, streaming, models });
  latest.current = { messages, model, system, temperature, conversationId, streaming, models };

  useEffect(() => {
    if (!model && models) setModel(models.defaultModel);
  }, [models, model]);

  useEffect(() => {
    if (initialConversationId) void open(initialConversationId);
    // Only the conversation named in the address when the page loads.
  }, []);

  /** After the next render: the newest message in view (unless the reader scrolled up to read). */
  const scrollToEnd = (onlyIfFollowing: boolean) => {
    const element = messagesRef.current;
    if (!element) return;
    const following = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    if (onlyIfFollowing && !following) return;
    requestAnimationFrame(() => {
      element.scrollTop = element.scrollHeight;
    });
  };

  const showConversation = (id: string | null) => {
    setConversationId(id);
    latest.current.conversationId = id;
    history.replaceState(null, "", id ? `#/chat/${encodeURIComponent(id)}` : "#/chat");
  };

  async function open(id: string) {
    try {
      const conversation = await requestJson<Conversation>(`/api/conversations/${encodeURIComponent(id)}`);
      setMessages(conversation.messages.map(toUiMessage));
      scrollToEnd(false);
      setModel(conversation.model ?? latest.current.models?.defaultModel ?? "");
      setSystem(conversation.system ?? "");
      setTemperature(conversation.temperature === null ? "" : String(conversation.temperature));
      setError(null);
      showConversation(conversation.id);
    } catch (e) {
      setError(`Could not open the conversation: ${(e as Error).message}`);
      showConversation(null);
    }
  }

  const startNew = () => {
    setMessages([]);
    setError(null);
    showConversation(null);
    document.getElementById("chat-input")?.focus();
  };

  function save(list: readonly UiMessage[]) {
    const { model: m, system: s, temperature: t } = latest.current;
    const body = {
      model: m || null,
      system: s.trim() ? s : null,
      temperature: t === "" ? null : Number(t),
      messages: list.map(toStoredMessage),
    };
    // One save at a time, in order: the first creates the conversation the next ones update.
    saveQueue.current = saveQueue.current
      .then(async () => {
        const id = latest.current.conversationId;
        if (id) {
          await requestJson(`/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", body });
        } else {
          const created = await requestJson<Conversation>("/api/conversations", {
            method: "POST",
            body: { ...body, title: titleOf(list) },
          });
          showConversation(created.id);
        }
        setListVersion((v) => v + 1);
      })
      .catch((e: Error) => setError(`Could not save the conversation: ${e.message}`));
  }

  /** Streams a reply to `history`, which ends with the user's message. */
  async function reply(history: UiMessage[]) {
    const { model: reference, system: sys, temperature: temp, models: list } = latest.current;
    setMessages(history);
    scrollToEnd(false);
    save(history);
    const controller = new AbortController();
    abortRef.current = controller;
    const stream = createTextStream();
    setStreaming({ stream, model: reference });
    setError(null);
    const turns: ChatTurn[] = [
      ...(sys.trim() ? [{ role: "system" as const, content: sys }] : []),
      // A failed reply holds the error, not something the model said.
      ...history.filter((m) => m.outcome !== "error").map((m) => ({ role: m.role, content: m.content })),
    ];
    const started = performance.now();
    let answer: UiMessage;
    try {
      const call = await streamChatCompletion(
        {
          model: reference,
          messages: turns,
          temperature: temp === "" ? null : Number(temp),
          signal: controller.signal,
        },
        (delta) => stream.append(delta),
      );
      const facts = list?.groups.flatMap((g) => g.models).find((m) => m.reference === reference);
      answer = toUiMessage({
        ...call,
        role: "assistant",
        content: stream.text,
        model: reference,
        costUsd: costOfCall(facts, call),
        outcome: "ok",
      });
    } catch (e) {
      answer = toUiMessage({
        ...emptyFacts,
        role: "assistant",
        model: reference,
        latencyMs: Math.round(performance.now() - started),
        ...(isAbort(e)
          ? { content: stream.text, outcome: "aborted" }
          : { content: (e as Error).message || "The call failed", outcome: "error" }),
      });
    }
    abortRef.current = null;
    const next = [...history, answer];
    scrollToEnd(true);
    setMessages(next);
    setStreaming(null);
    save(next);
  }

  const send = () => {
    const text = draft.trim();
    if (!text || latest.current.streaming || !latest.current.model) return;
    setDraft("");
    void reply([...latest.current.messages, toUiMessage({ ...emptyFacts, role: "user", content: text })]);
  };

  const stop = () => abortRef.current?.abort();

  // Stable for the memoized list: they read state through `latest`.
  const handlers = useRef({
    onEdit: (index: number, text: string) => {
      if (latest.current.streaming) return;
      const before = latest.current.messages.slice(0, index);
      void reply([...before, toUiMessage({ ...emptyFacts, role: "user", content: text })]);
    },
    onRegenerate: () => {
      const list = latest.current.messages;
      if (latest.current.streaming || list.at(-1)?.role !== "assistant") return;
      void reply(list.slice(0, -1));
    },
  }).current;

  const busy = streaming !== null;
  return (
    <div class="chat-layout">
      <aside class="sidebar">
        <ConversationList
          activeId={conversationId}
          version={listVersion}
          disabled={busy}
          onOpen={(id) => void open(id)}
          onNew={startNew}
          onDeleted={(id) => {
            if (id === latest.current.conversationId) startNew();
          }}
        />
      </aside>
      <section class="chat-main" aria-label="Chat">
        <div class="chat-settings">
          <ModelPicker id="chat-model" label="Model" models={models} value={model} onChange={setModel} />
          <details class="advanced">
            <summary>System prompt and temperature</summary>
            <label for="chat-system">System prompt</label>
            <textarea
              id="chat-system"
              rows={3}
              value={system}
              placeholder="You are a helpful assistant."
              onInput={(event) => setSystem(event.currentTarget.value)}
            />
            <label for="chat-temperature">Temperature (0 to 2; empty: the model's default)</label>
            <input
              id="chat-temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onInput={(event) => setTemperature(event.currentTarget.value)}
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
          <MessageList messages={messages} onEdit={handlers.onEdit} onRegenerate={handlers.onRegenerate} />
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
              } else if (event.key === "Escape" && busy) stop();
            }}
          />
          {busy ? (
            <button type="button" class="stop" onClick={stop}>
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
