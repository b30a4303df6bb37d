import { useEffect, useRef, useState } from "preact/hooks";
import type {
  AppModelList,
  Conversation,
  ConversationPatch,
} from "../../../src/gateway/app/app-api-types.ts";
import { requestJson } from "../api/request-json.ts";
import type { ChatTurn } from "../api/stream-chat-completion.ts";
import { createTextStream, type TextStream } from "./create-text-stream.ts";
import { streamReply } from "./stream-reply.ts";
import { toStoredMessage, toUiMessage, type UiMessage } from "./ui-message.ts";

interface ChatSessionOptions {
  models: AppModelList | null;
  /** The conversation to open first (from the address). */
  initialConversationId: string | null;
  /**
   * Called as the messages change, before the new ones render: bring the newest into view, or
   * with `onlyIfFollowing`, only when the reader has not scrolled up to read.
   */
  revealEnd(onlyIfFollowing: boolean): void;
}

/** The reply streaming now. */
interface StreamingReply {
  stream: TextStream;
  model: string;
}

interface ChatState {
  conversationId: string | null;
  messages: readonly UiMessage[];
  model: string;
  system: string;
  /** As typed: empty means the model's default. */
  temperature: string;
  streaming: StreamingReply | null;
  error: string | null;
  /** Changes after each save, so the conversation list loads again. */
  savedVersion: number;
}

/** Each keeps its identity for the component's life, so memoized children do not render again. */
interface ChatActions {
  setModel(model: string): void;
  setSystem(system: string): void;
  setTemperature(temperature: string): void;
  open(id: string): void;
  startNew(): void;
  /** After a conversation was deleted: starts a new one if it was the open one; says whether it was. */
  closeIfOpen(id: string): boolean;
  /** Sends the user's text and streams the reply; false (and nothing sent) while one streams, or without text or model. */
  send(text: string): boolean;
  stop(): void;
  /** Replaces the user's message at `index` with `text`, drops what followed, and replies again. */
  edit(index: number, text: string): void;
  /** Replaces the last reply with a new one. */
  regenerate(): void;
}

const noFacts = {
  model: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  latencyMs: null,
  timeToFirstTokenMs: null,
  outcome: null,
} as const;

const userMessage = (content: string) => toUiMessage({ ...noFacts, role: "user", content });

function titleOf(messages: readonly UiMessage[]): string {
  const first =
    messages
      .find((m) => m.role === "user")
      ?.content.trim()
      .replace(/\s+/g, " ") ?? "";
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** The chat's state machine: messages, streaming, stop, regenerate, edit and resend, saving, errors. */
export function useChatSession(options: ChatSessionOptions): { state: ChatState; actions: ChatActions } {
  const [conversationId, setConversationId] = useState<string | null>(options.initialConversationId);
  const [messages, setMessages] = useState<UiMessage[]>([]);
  const [model, setModel] = useState("");
  const [system, setSystem] = useState("");
  const [temperature, setTemperature] = useState("");
  const [streaming, setStreaming] = useState<StreamingReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [savedVersion, setSavedVersion] = useState(0);
  const state: ChatState = {
    conversationId,
    messages,
    model,
    system,
    temperature,
    streaming,
    error,
    savedVersion,
  };
  // The actions are made once, so they read the latest state and options here.
  const latest = useRef({ ...state, options });
  latest.current = { ...state, options };

  const [actions] = useState((): ChatActions => {
    let abort: AbortController | null = null;
    // One save at a time, in order: the first creates the conversation the next ones update.
    let saveQueue = Promise.resolve();

    const showConversation = (id: string | null) => {
      setConversationId(id);
      latest.current.conversationId = id;
      history.replaceState(null, "", id ? `#/chat/${encodeURIComponent(id)}` : "#/chat");
    };

    const open = async (id: string) => {
      try {
        const conversation = await requestJson<Conversation>(
          `/app/api/conversations/${encodeURIComponent(id)}`,
        );
        setMessages(conversation.messages.map(toUiMessage));
        latest.current.options.revealEnd(false);
        setModel(conversation.model ?? latest.current.options.models?.defaultModel ?? "");
        setSystem(conversation.system ?? "");
        setTemperature(conversation.temperature === null ? "" : String(conversation.temperature));
        setError(null);
        showConversation(conversation.id);
      } catch (e) {
        setError(`Could not open the conversation: ${(e as Error).message}`);
        showConversation(null);
      }
    };

    const startNew = () => {
      setMessages([]);
      setError(null);
      showConversation(null);
    };

    const save = (list: readonly UiMessage[]) => {
      const { model: m, system: s, temperature: t } = latest.current;
      const body = {
        model: m || null,
        system: s.trim() ? s : null,
        temperature: t === "" ? null : Number(t),
        messages: list.map(toStoredMessage),
      } satisfies ConversationPatch;
      saveQueue = saveQueue
        .then(async () => {
          const id = latest.current.conversationId;
          if (id) {
            await requestJson(`/app/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", body });
          } else {
            const created = await requestJson<Conversation>("/app/api/conversations", {
              method: "POST",
              body: { ...body, title: titleOf(list) } satisfies ConversationPatch,
            });
            showConversation(created.id);
          }
          setSavedVersion((v) => v + 1);
        })
        .catch((e: Error) => setError(`Could not save the conversation: ${e.message}`));
    };

    /** Streams a reply to `thread`, which ends with the user's message. */
    const reply = async (thread: UiMessage[]) => {
      const { model: reference, system: sys, temperature: temp, options: current } = latest.current;
      setMessages(thread);
      current.revealEnd(false);
      save(thread);
      const controller = new AbortController();
      abort = controller;
      const stream = createTextStream();
      setStreaming({ stream, model: reference });
      setError(null);
      const turns: ChatTurn[] = [
        ...(sys.trim() ? [{ role: "system" as const, content: sys }] : []),
        // A failed reply holds the error, not something the model said.
        ...thread.filter((m) => m.outcome !== "error").map((m) => ({ role: m.role, content: m.content })),
      ];
      const started = performance.now();
      const result = await streamReply(
        {
          model: reference,
          messages: turns,
          temperature: temp === "" ? null : Number(temp),
          signal: controller.signal,
        },
        stream,
        current.models,
      );
      const answer = toUiMessage(
        result.outcome === "ok"
          ? { ...result.call, role: "assistant", content: stream.text, model: reference, outcome: "ok" }
          : {
              ...noFacts,
              role: "assistant",
              model: reference,
              latencyMs: Math.round(performance.now() - started),
              ...(result.outcome === "aborted"
                ? { content: stream.text, outcome: "aborted" }
                : { content: result.message, outcome: "error" }),
            },
      );
      abort = null;
      const next = [...thread, answer];
      latest.current.options.revealEnd(true);
      setMessages(next);
      setStreaming(null);
      save(next);
    };

    return {
      setModel,
      setSystem,
      setTemperature,
      open: (id) => void open(id),
      startNew,
      closeIfOpen: (id) => {
        if (id !== latest.current.conversationId) return false;
        startNew();
        return true;
      },
      send: (text) => {
        const content = text.trim();
        if (!content || latest.current.streaming || !latest.current.model) return false;
        void reply([...latest.current.messages, userMessage(content)]);
        return true;
      },
      stop: () => abort?.abort(),
      edit: (index, text) => {
        if (latest.current.streaming) return;
        void reply([...latest.current.messages.slice(0, index), userMessage(text)]);
      },
      regenerate: () => {
        const list = latest.current.messages;
        if (latest.current.streaming || list.at(-1)?.role !== "assistant") return;
        void reply(list.slice(0, -1));
      },
    };
  });

  useEffect(() => {
    if (!model && options.models) setModel(options.models.defaultModel);
  }, [options.models, model]);

  useEffect(() => {
    if (options.initialConversationId) actions.open(options.initialConversationId);
    // Only the conversation named in the address when the page loads.
  }, []);

  return { state, actions };
}
