import { useEffect, useState } from "preact/hooks";
import type { ConversationSummary, ConversationSummaryList } from "../../../src/gateway/app/app-api-types.ts";
import { requestJson } from "../api/request-json.ts";

interface ConversationListProps {
  activeId: string | null;
  /** Changes whenever a conversation was saved, so the list loads again. */
  version: number;
  disabled: boolean;
  onOpen(id: string): void;
  onNew(): void;
  onDeleted(id: string): void;
}

/** The saved conversations: search, open, rename and delete (delete asks once more, in place). */
export function ConversationList({
  activeId,
  version,
  disabled,
  onOpen,
  onNew,
  onDeleted,
}: ConversationListProps) {
  const [query, setQuery] = useState("");
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    // Wait for a pause in typing before searching.
    const timer = setTimeout(
      () => {
        const path = `/app/api/conversations${query.trim() ? `?q=${encodeURIComponent(query.trim())}` : ""}`;
        requestJson<ConversationSummaryList>(path)
          .then((body) => {
            if (controller.signal.aborted) return;
            setItems(body.conversations);
            setError(null);
          })
          .catch((e: Error) => setError(e.message));
      },
      query ? 200 : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, version, reload]);

  const rename = async (event: Event) => {
    event.preventDefault();
    if (!renaming) return;
    try {
      await requestJson(`/app/api/conversations/${encodeURIComponent(renaming.id)}`, {
        method: "PATCH",
        body: { title: renaming.title },
      });
      setRenaming(null);
      setReload((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (id: string) => {
    try {
      await requestJson(`/app/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
      setConfirmDelete(null);
      setReload((n) => n + 1);
      onDeleted(id);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <nav class="conversations" aria-label="Conversations">
      <button type="button" class="new-chat" onClick={onNew} disabled={disabled}>
        New chat
      </button>
      <label for="conversation-search" class="visually-hidden">
        Search conversations
      </label>
      <input
        id="conversation-search"
        type="search"
        placeholder="Search conversations"
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {items.map((item) => (
          <li key={item.id} class={item.id === activeId ? "active" : undefined}>
            {renaming?.id === item.id ? (
              <form onSubmit={rename} class="rename">
                <label for={`rename-${item.id}`} class="visually-hidden">
                  New title
                </label>
                <input
                  id={`rename-${item.id}`}
                  value={renaming.title}
                  ref={(el) => el?.focus()}
                  onInput={(event) => setRenaming({ id: item.id, title: event.currentTarget.value })}
                  onKeyDown={(event) => {
                    if (event.key === "Escape") setRenaming(null);
                  }}
                />
                <button type="submit">Save</button>
              </form>
            ) : (
              <button
                type="button"
                class="open-conversation"
                aria-current={item.id === activeId ? "true" : undefined}
                disabled={disabled}
                onClick={() => onOpen(item.id)}
              >
                {item.title}
              </button>
            )}
            <div class="conversation-actions">
              <button
                type="button"
                aria-label={`Rename ${item.title}`}
                onClick={() => setRenaming({ id: item.id, title: item.title })}
              >
                Rename
              </button>
              {confirmDelete === item.id ? (
                <button type="button" class="danger" onClick={() => remove(item.id)}>
                  Confirm delete
                </button>
              ) : (
                <button
                  type="button"
                  aria-label={`Delete ${item.title}`}
                  onClick={() => setConfirmDelete(item.id)}
                >
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {items.length === 0 && !error && (
        <p class="note">{query ? "No conversation matches." : "No saved conversations yet."}</p>
      )}
    </nav>
  );
}
