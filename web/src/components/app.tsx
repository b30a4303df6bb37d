import { useEffect, useState } from "preact/hooks";
import type { AppModelList } from "../../../src/gateway/app/list-app-models.ts";
import { ApiError } from "../api/api-error.ts";
import { gatewayKey } from "../api/gateway-key.ts";
import { requestJson } from "../api/request-json.ts";
import { useHashRoute, type View } from "../state/use-hash-route.ts";
import { ChatView } from "./chat-view.tsx";
import { CompareView } from "./compare-view.tsx";
import { GatewayKeyForm } from "./gateway-key-form.tsx";
import { SummarizeView } from "./summarize-view.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

const TABS: { view: View; label: string }[] = [
  { view: "chat", label: "Chat" },
  { view: "compare", label: "Compare" },
  { view: "summarize", label: "Summarize" },
];

/** The three views stay mounted (hidden when not shown), so switching never loses a reply in flight. */
export function App() {
  const route = useHashRoute();
  const [models, setModels] = useState<AppModelList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [needsKey, setNeedsKey] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [initialConversation] = useState(route.conversationId);

  useEffect(() => {
    requestJson<AppModelList>("/api/models").then(
      (list) => {
        setModels(list);
        setNeedsKey(false);
        setError(null);
      },
      (e: Error) => {
        if (e instanceof ApiError && e.status === 401) setNeedsKey(true);
        else setError(`Could not load the models: ${e.message}`);
      },
    );
  }, [attempt]);

  if (needsKey) {
    return (
      <main id="main" class="key-page">
        <GatewayKeyForm rejected={gatewayKey.get() !== null} onSaved={() => setAttempt((n) => n + 1)} />
      </main>
    );
  }

  return (
    <div class="app">
      {/* A button, not a link to #main: the hash holds the view. */}
      <button type="button" class="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header class="topbar">
        <span class="brand">llmux</span>
        <nav aria-label="Views">
          {TABS.map((tab) => (
            <a
              key={tab.view}
              href={`#/${tab.view}`}
              aria-current={route.view === tab.view ? "page" : undefined}
            >
              {tab.label}
            </a>
          ))}
        </nav>
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1}>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div hidden={route.view !== "chat"}>
          <ChatView models={models} initialConversationId={initialConversation} />
        </div>
        <div hidden={route.view !== "compare"}>
          <CompareView models={models} />
        </div>
        <div hidden={route.view !== "summarize"}>
          <SummarizeView models={models} />
        </div>
      </main>
    </div>
  );
}
