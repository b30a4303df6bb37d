import { useEffect, useRef, useState } from "preact/hooks";
import type { AppModelList, SummarizeDone, SummarizePage } from "../../../src/gateway/app/app-api-types.ts";
import { ApiError } from "../api/api-error.ts";
import { isAbortError } from "../api/is-abort-error.ts";
import { streamSummary } from "../api/stream-summary.ts";
import { costOfCall } from "../cost-of-call.ts";
import { createTextStream, type TextStream } from "../state/create-text-stream.ts";
import { findAppModel } from "../state/find-app-model.ts";
import { CallStats } from "./call-stats.tsx";
import { MarkdownView } from "./markdown-view.tsx";
import { ModelDownloadOffer } from "./model-download-offer.tsx";
import { ModelPicker } from "./model-picker.tsx";
import { StreamingMarkdown } from "./streaming-markdown.tsx";

interface SummaryRun {
  stream: TextStream;
  page: SummarizePage | null;
  done: SummarizeDone | null;
  status: "reading" | "streaming" | "done" | "stopped" | "failed" | "needs-model";
  error: string | null;
}

/** The server's code for a catalog model that is not downloaded yet (it can be, with /app/api/pull). */
const MODEL_NOT_DOWNLOADED = "model_not_downloaded";

/**
 * Whoever uses this page usually started the gateway too: a page on their own network is one
 * restart away, so say which.
 */
const PRIVATE_ADDRESS_REFUSED =
  "This page is on a private or local address, which the gateway does not read unless it is started with `llmux serve --allow-private`.";

/** A URL in, the page's summary streamed out, with the text the reader extracted one click away. */
export function SummarizeView({ models }: { models: AppModelList | null }) {
  const [url, setUrl] = useState("");
  const [model, setModel] = useState("");
  const [run, setRun] = useState<SummaryRun | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = run?.status === "reading" || run?.status === "streaming";

  useEffect(() => {
    if (!model && models) setModel(models.defaultModel);
  }, [models, model]);

  const start = () => {
    if (!url.trim() || busy) return;
    const controller = new AbortController();
    abortRef.current = controller;
    const stream = createTextStream();
    const update = (patch: Partial<SummaryRun>) =>
      setRun((current) => (current?.stream === stream ? { ...current, ...patch } : current));
    setRun({ stream, page: null, done: null, status: "reading", error: null });
    streamSummary(
      { url: url.trim(), model, signal: controller.signal },
      {
        onPage: (page) => update({ page, status: "streaming" }),
        onDelta: (delta) => stream.append(delta),
      },
    ).then(
      (done) => update({ done, status: "done" }),
      (error: Error) => {
        if (isAbortError(error)) update({ status: "stopped" });
        else if (error instanceof ApiError && error.code === MODEL_NOT_DOWNLOADED)
          update({ status: "needs-model", error: error.message });
        else if (error instanceof ApiError && error.code === "blocked_address")
          update({ status: "failed", error: PRIVATE_ADDRESS_REFUSED });
        else update({ status: "failed", error: error.message });
      },
    );
  };

  const facts = findAppModel(models, run?.done?.model);
  return (
    <section class="summarize" aria-label="Summarize a page">
      <form
        class="summarize-form"
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <label for="summarize-url">Page address</label>
        <input
          id="summarize-url"
          type="url"
          required
          placeholder="https://example.com/article"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        <ModelPicker
          id="summarize-model"
          label="Model"
          models={models}
          value={model}
          onChange={setModel}
          downloadable
        />
        <div class="form-actions">
          {busy ? (
            <button type="button" class="stop" onClick={() => abortRef.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!url.trim() || !model}>
              Summarize
            </button>
          )}
        </div>
      </form>
      {run && (
        <article class={`summary status-${run.status}`} aria-label="Summary">
          {run.status === "reading" && <p class="waiting">Reading the page…</p>}
          {run.page && (
            <h3>
              {/^https?:\/\//.test(run.page.url) ? (
                <a href={run.page.url} target="_blank" rel="noopener noreferrer">
                  {run.page.title || run.page.url}
                </a>
              ) : (
                run.page.title || run.page.url
              )}
            </h3>
          )}
          {run.status === "streaming" ? (
            <StreamingMarkdown stream={run.stream} />
          ) : (
            run.stream.text && <MarkdownView text={run.stream.text} />
          )}
          {run.status === "needs-model" && run.error && (
            <ModelDownloadOffer
              model={model}
              message={run.error}
              onInstalled={start}
              onCancel={() => setRun(null)}
            />
          )}
          {run.status !== "needs-model" && run.error && (
            <p class="reply-error" role="alert">
              {run.error}
            </p>
          )}
          {run.status === "stopped" && <p class="note">Stopped.</p>}
          {run.done && (
            <CallStats call={{ ...run.done, costUsd: run.done.costUsd ?? costOfCall(facts, run.done) }} />
          )}
          {run.done?.cached && <p class="note summary-cached">Cached: summarized before, no model called.</p>}
          {run.done?.verbatim && (
            <p class="note summary-verbatim">
              The page is already shorter than the length asked for: shown as it is.
            </p>
          )}
          {run.page && (
            <details class="extracted">
              <summary>Extracted page text ({run.page.wordCount} words)</summary>
              <pre class="page-text">{run.page.text}</pre>
            </details>
          )}
        </article>
      )}
    </section>
  );
}
