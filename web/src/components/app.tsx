import { useEffect, useState } from "preact/hooks";
import { formatBytes } from "../../../src/core/format-bytes.ts";
import type { AppModelList } from "../../../src/gateway/app/app-api-types.ts";
import { DEFAULT_MODEL } from "../../../src/providers/default-model.ts";
import { ApiError } from "../api/api-error.ts";
import { gatewayKey } from "../api/gateway-key.ts";
import { requestJson } from "../api/request-json.ts";
import { findAppModel } from "../state/find-app-model.ts";
import { useHashRoute, type View } from "../state/use-hash-route.ts";
import { ChatView } from "./chat-view.tsx";
import { CompareView } from "./compare-view.tsx";
import { GatewayKeyForm } from "./gateway-key-form.tsx";
import { ModelDownloadOffer } from "./model-download-offer.tsx";
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
    requestJson<AppModelList>("/app/api/models").then(
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
        {models && !models.groups.some((g) => g.models.some((m) => m.ready)) ? (
          <NothingReady models={models} onRetry={() => setAttempt((n) => n + 1)} />
        ) : (
          <Views route={route} models={models} initialConversation={initialConversation} />
        )}
      </main>
    </div>
  );
}

/** What to set up when no model can answer: said before the first message, not after it. */
function NothingReady({ models, onRetry }: { models: AppModelList; onRetry(): void }) {
  // The configured default when it is a local model, else llmux's own.
  const local = models.defaultModel.startsWith("local:") ? models.defaultModel : DEFAULT_MODEL;
  const pull = local.slice("local:".length);
  const size = findAppModel(models, local)?.downloadBytes;
  // Laid out as the gateway key page is: one centred box.
  return (
    <div class="key-page">
      <section class="key-form setup-needed" aria-labelledby="setup-needed-title">
        <h2 id="setup-needed-title">No model can answer yet</h2>
        <p>Any one of these will do:</p>
        <ul>
          <li>
            start Ollama: <code>ollama serve</code>
          </li>
          <li>
            download the default model: <code>llmux pull {pull}</code>
            {size != null && (
              <>
                , or here:
                <ModelDownloadOffer
                  model={local}
                  message={`${local} is not downloaded yet (${formatBytes(size)})`}
                  onInstalled={onRetry}
                />
              </>
            )}
          </li>
          <li>
            set <code>OPENAI_API_KEY</code> (or another provider's key), then restart <code>llmux serve</code>
          </li>
        </ul>
        <button type="button" onClick={onRetry}>
          Check again
        </button>
      </section>
    </div>
  );
}

interface ViewsProps {
  route: ReturnType<typeof useHashRoute>;
  models: AppModelList | null;
  initialConversation: string | null;
}

function Views({ route, models, initialConversation }: ViewsProps) {
  return (
    <>
      <div hidden={route.view !== "chat"}>
        <ChatView models={models} initialConversationId={initialConversation} />
      </div>
      <div hidden={route.view !== "compare"}>
        <CompareView models={models} />
      </div>
      <div hidden={route.view !== "summarize"}>
        <SummarizeView models={models} />
      </div>
    </>
  );
}
