import { useEffect, useRef, useState } from "preact/hooks";
import type { AppModelList } from "../../../src/gateway/app/app-api-types.ts";
import { createTextStream, type TextStream } from "../state/create-text-stream.ts";
import { type ReplyResult, streamReply } from "../state/stream-reply.ts";
import { type CallFacts, CallStats } from "./call-stats.tsx";
import { MarkdownView } from "./markdown-view.tsx";
import { ModelPicker } from "./model-picker.tsx";
import { StreamingMarkdown } from "./streaming-markdown.tsx";

interface ColumnRun {
  model: string;
  stream: TextStream;
  status: "streaming" | "done" | "stopped" | "failed";
  facts: CallFacts | null;
  error: string | null;
}

const MIN_COLUMNS = 2;
const MAX_COLUMNS = 4;

/** What a column shows once its reply has ended. */
function columnEnd(result: ReplyResult): Partial<ColumnRun> {
  if (result.outcome === "ok") return { status: "done", facts: result.call };
  if (result.outcome === "aborted") return { status: "stopped" };
  return { status: "failed", error: result.message };
}

/** One prompt to two to four models at once, side by side, each with its tokens, cost and timings. */
export function CompareView({ models }: { models: AppModelList | null }) {
  const [prompt, setPrompt] = useState("");
  const [choices, setChoices] = useState<string[]>([]);
  const [runs, setRuns] = useState<ColumnRun[]>([]);
  const abortRef = useRef<AbortController | null>(null);
  const running = runs.some((r) => r.status === "streaming");

  useEffect(() => {
    if (choices.length > 0 || !models) return;
    // Start on the default model (ready whenever any model is) and the next ready one, so Compare works at once.
    const ready = models.groups.flatMap((g) => g.models).filter((m) => m.ready);
    const second = ready.find((m) => m.reference !== models.defaultModel)?.reference;
    setChoices([models.defaultModel, second ?? models.defaultModel]);
  }, [models, choices.length]);

  const run = () => {
    const text = prompt.trim();
    if (!text || running) return;
    const controller = new AbortController();
    abortRef.current = controller;
    const started: ColumnRun[] = choices.map((model) => ({
      model,
      stream: createTextStream(),
      status: "streaming",
      facts: null,
      error: null,
    }));
    setRuns(started);
    const settle = (index: number, patch: Partial<ColumnRun>) =>
      setRuns((current) =>
        current.map((r, i) => (i === index && r.stream === started[index]?.stream ? { ...r, ...patch } : r)),
      );
    started.forEach((column, index) => {
      streamReply(
        { model: column.model, messages: [{ role: "user", content: text }], signal: controller.signal },
        column.stream,
        models,
      ).then((result) => settle(index, columnEnd(result)));
    });
  };

  const setChoice = (index: number, reference: string) =>
    setChoices((current) => current.map((c, i) => (i === index ? reference : c)));

  return (
    <section class="compare" aria-label="Compare models">
      <form
        class="compare-form"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <label for="compare-prompt">Prompt</label>
        <textarea
          id="compare-prompt"
          rows={3}
          value={prompt}
          placeholder="One prompt, sent to every model below (Enter runs, Shift+Enter for a new line)"
          onInput={(event) => setPrompt(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              run();
            }
          }}
        />
        <div class="compare-models">
          {choices.map((choice, index) => (
            <div class="compare-choice" key={index}>
              <ModelPicker
                id={`compare-model-${index + 1}`}
                label={`Model ${index + 1}`}
                models={models}
                value={choice}
                disabled={running}
                onChange={(reference) => setChoice(index, reference)}
              />
              {choices.length > MIN_COLUMNS && (
                <button
                  type="button"
                  disabled={running}
                  aria-label={`Remove model ${index + 1}`}
                  onClick={() => setChoices((current) => current.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              )}
            </div>
          ))}
        </div>
        <div class="form-actions">
          {choices.length < MAX_COLUMNS && (
            <button
              type="button"
              disabled={running || !models}
              onClick={() => setChoices((current) => [...current, models?.defaultModel ?? ""])}
            >
              Add a model
            </button>
          )}
          {running ? (
            <button type="button" class="stop" onClick={() => abortRef.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!prompt.trim() || choices.length < MIN_COLUMNS}>
              Compare
            </button>
          )}
        </div>
      </form>
      {runs.length > 0 && (
        <div class="compare-columns">
          {runs.map((column, index) => (
            <article class={`compare-column status-${column.status}`} key={index} aria-label={column.model}>
              <h3>{column.model}</h3>
              {column.status === "streaming" ? (
                <StreamingMarkdown stream={column.stream} />
              ) : (
                column.stream.text && <MarkdownView text={column.stream.text} />
              )}
              {column.error && (
                <p class="reply-error" role="alert">
                  {column.error}
                </p>
              )}
              {column.status === "stopped" && <p class="note">Stopped.</p>}
              {column.facts && <CallStats call={column.facts} />}
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
