import { performance } from "node:perf_hooks";
import type { CallOptions, CallResult } from "../client/call-options.ts";
import { createLlmux, type Llmux } from "../client/create-llmux.ts";
import { createLimiter } from "../core/create-limiter.ts";
import { LlmuxError } from "../core/errors.ts";
import { resolveModelLimits } from "../providers/resolve-model-limits.ts";
import { type ReadPage, type ReadPageOptions, readPage } from "../reader/read-page.ts";
import {
  buildSummaryPrompt,
  type PageInfo,
  type SummaryPromptOptions,
  type SummaryStep,
} from "./build-summary-prompt.ts";
import { cacheEntry } from "./cache-entry.ts";
import { planBudget } from "./plan-budget.ts";
import { type CountTokens, splitIntoChunks } from "./split-into-chunks.ts";
import type { SummaryCache } from "./summary-cache.ts";
import { summaryCacheKey } from "./summary-cache-key.ts";
import { resolveSummaryLength } from "./summary-lengths.ts";

/** A page already read: its Markdown (or plain text), and title and URL when known. */
export interface SummarizeInput {
  markdown: string;
  title?: string | null;
  url?: string | null;
  timings?: ReadPage["timings"];
  /** What it was read from; a feed's digest keeps its entries' links for the model. */
  kind?: ReadPage["kind"];
}

export interface SummarizeOptions extends SummaryPromptOptions {
  /** The llmux to call models through; default `createLlmux()` (config and env of this process). */
  llmux?: Llmux;
  /** Any model reference; default the configured default model. */
  model?: string;
  /** How to read a source given as a string (URL, file path, "-"). */
  read?: ReadPageOptions;
  /** Most tokens in the final answer; default by length. */
  maxTokens?: number;
  /** Most tokens in the notes on each part of a long page (and each combining step). */
  maxTokensPerChunk?: number;
  /** Budget for this many tokens of context at most, below the model's own. */
  contextWindow?: number;
  /** Model calls at once; default 4 for cloud models, 2 for local ones. */
  concurrency?: number;
  /**
   * Finished summaries kept between runs: a summary of the same content with the same prompt,
   * length, language and model is taken from it without a model call. Default: none.
   */
  cache?: SummaryCache;
  /** Receives the final answer as it streams (the notes on parts are not streamed). */
  onText?: (delta: string) => void;
  /** Called as the work moves on: reading the page, each part done, each merge, the answer. */
  onProgress?: (progress: SummarizeProgress) => void;
  signal?: AbortSignal;
}

/** What a summary is doing now, for a status line. */
export type SummarizeProgress =
  /** Fetching the source (`reading`), then extracting its content. */
  | { step: "reading" | "extracting"; source: string }
  /** Notes on the parts of a long page (`parts`), then rounds merging notes (`notes`). */
  | { step: "parts" | "notes"; done: number; total: number }
  /** The final answer is being written (it streams to onText once it starts). */
  | { step: "answer" };

export interface Summary {
  /** Where the page was read from: an http(s) or file: URL, "stdin", or the input's url. */
  url: string | null;
  title: string;
  /** Markdown. */
  summary: string;
  /** The model that wrote it, `provider:model`. */
  model: string;
  /** Summed over every call; null when a provider did not report them. */
  usage: { inputTokens: number | null; outputTokens: number | null };
  /** USD over every call; null when the price is unknown. */
  costUsd: number | null;
  /** Parts the page was split into (1: it fitted one call; 0: no call, see verbatim and cached). */
  chunks: number;
  /** Taken from the cache: no model was called (usage 0, cost 0). */
  cached: boolean;
  /** The content was already shorter than the length asked for: it is the summary, as it is. */
  verbatim: boolean;
  timings: { fetchMs: number; extractMs: number; llmMs: number };
}

const NOTE_TOKENS = 400;

/**
 * Summarizes a page of any length with any model. A page that fits the model's context (with
 * room for the prompt and the answer) takes one call. A longer one is split on its structure
 * into parts that fit; each part is turned into notes (concurrently), and the notes are combined
 * into the summary, in rounds while they are still too long for one call.
 */
export async function summarize(
  input: string | SummarizeInput,
  options: SummarizeOptions = {},
): Promise<Summary> {
  const llmux = options.llmux ?? createLlmux();
  const resolved = llmux.registry.resolve(llmux.registry.defaultModel(options.model));
  // Made now, so an unknown model or a missing key fails before the page is fetched.
  llmux.registry.languageModel(resolved);
  let page: SummarizeInput;
  if (typeof input === "string") {
    const onProgress = options.onProgress;
    onProgress?.({ step: "reading", source: input });
    page = await readPage(input, {
      ...options.read,
      onExtracting: onProgress && (() => onProgress({ step: "extracting", source: input })),
    });
  } else {
    page = input;
  }
  const started = performance.now();
  const feed = page.kind === "feed";
  const info: PageInfo = { title: page.title ?? "", url: page.url ?? null, ...(feed && { feed }) };
  const content = forModel(page.markdown, feed);
  if (!content) {
    throw new LlmuxError("nothing_extracted", `${info.url ?? "The page"} has no text to summarize`, {
      hint: "Check the source; for a page built by JavaScript try --render",
    });
  }
  const target = resolveSummaryLength(options.length);
  const finish = (
    summary: string,
    chunks: number,
    cost: Pick<Summary, "usage" | "costUsd" | "cached" | "verbatim">,
  ): Summary => ({
    url: info.url,
    title: info.title,
    summary: summary.trim(),
    model: resolved.reference,
    chunks,
    ...cost,
    timings: {
      fetchMs: page.timings?.fetchMs ?? 0,
      extractMs: page.timings?.extractMs ?? 0,
      llmMs: Math.round(performance.now() - started),
    },
  });
  const free = { usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
  // Restating what is already short costs a call and says less: it is returned as it is. Not when
  // the answer must differ from the page anyway (another language, your own instruction).
  if (!options.prompt?.trim() && !options.language && !options.site && content.length <= target.characters) {
    options.onText?.(content);
    return finish(content, 0, { ...free, cached: false, verbatim: true });
  }
  const key = summaryCacheKey("summary", [
    content,
    resolved.reference,
    buildSummaryPrompt({ kind: "whole" }, { title: "", url: null }, "", options),
    options.maxTokens ?? null,
    options.maxTokensPerChunk ?? null,
    options.contextWindow ?? null,
  ]);
  const cached = cacheEntry(options.cache, key, isCachedSummary);
  const hit = await cached.read();
  if (hit) {
    options.onText?.(hit.summary);
    return finish(hit.summary, hit.chunks, { ...free, cached: true, verbatim: false });
  }
  const limits = await resolveModelLimits(resolved, llmux.registry.config);
  try {
    const count = limits.countTokens;
    const promptTokens = Math.max(
      ...BUDGET_STEPS.map((step) => {
        const { system, prompt } = buildSummaryPrompt(step, info, "", options);
        return count(system) + count(prompt);
      }),
    );
    const budget = planBudget({
      contextWindow: Math.min(limits.contextWindow, options.contextWindow ?? Number.POSITIVE_INFINITY),
      promptTokens,
      answerTokens: options.maxTokens ?? target.answerTokens,
      noteTokens: options.maxTokensPerChunk ?? NOTE_TOKENS,
      exact: limits.tokenizer !== "estimate",
    });
    const answerCap = limits.capOutput || options.maxTokens !== undefined ? budget.answerTokens : undefined;
    const noteCap =
      limits.capOutput || options.maxTokensPerChunk !== undefined ? budget.noteTokens : undefined;

    const total = {
      inputTokens: 0 as number | null,
      outputTokens: 0 as number | null,
      costUsd: 0 as number | null,
    };
    const add = (result: CallResult) => {
      total.inputTokens = sum(total.inputTokens, result.usage.inputTokens);
      total.outputTokens = sum(total.outputTokens, result.usage.outputTokens);
      total.costUsd = sum(total.costUsd, result.costUsd);
    };
    // The first failure stops the calls still running or waiting.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const limit = createLimiter(options.concurrency ?? limits.concurrency);

    const call = async (step: SummaryStep, text: string, maxTokens: number | undefined): Promise<string> => {
      signal.throwIfAborted();
      const { system, prompt } = buildSummaryPrompt(step, info, text.trim(), options);
      const request: CallOptions = {
        model: resolved.reference,
        ...(limits.systemRole ? { system, prompt } : { prompt: `${system}\n\n${prompt}` }),
        maxTokens,
        providerOptions: limits.providerOptions,
        signal,
      };
      const final = step.kind === "whole" || (step.kind === "notes" && step.final);
      if (final) options.onProgress?.({ step: "answer" });
      if (final && options.onText) {
        const { textStream, result } = llmux.stream(request);
        for await (const delta of textStream) options.onText(delta);
        const done = await result;
        add(done);
        return done.text;
      }
      const done = await llmux.generate(request);
      add(done);
      return done.text;
    };
    const inParallel = async (kind: "parts" | "notes", steps: Array<() => Promise<string>>) => {
      let done = 0;
      options.onProgress?.({ step: kind, done, total: steps.length });
      try {
        return await Promise.all(
          steps.map((step) =>
            limit(async () => {
              const text = await step();
              options.onProgress?.({ step: kind, done: ++done, total: steps.length });
              return text;
            }),
          ),
        );
      } catch (error) {
        stop.abort(error);
        throw error;
      }
    };

    let chunks = 1;
    let summary: string;
    if (count(content) <= budget.chunkTokens) {
      summary = await call({ kind: "whole" }, content, answerCap);
    } else {
      const parts = splitIntoChunks(content, budget.chunkTokens, count);
      chunks = parts.length;
      let notes = await inParallel(
        "parts",
        parts.map(
          (part, i) => () => call({ kind: "part", index: i + 1, total: parts.length }, part, noteCap),
        ),
      );
      while (count(formatNotes(notes)) > budget.chunkTokens) {
        const groups = groupNotes(notes, budget.chunkTokens, count);
        notes = await inParallel(
          "notes",
          groups.map((group) => () => call({ kind: "notes", final: false }, formatNotes(group), noteCap)),
        );
      }
      summary = await call({ kind: "notes", final: true }, formatNotes(notes), answerCap);
    }
    await cached.write({ summary: summary.trim(), chunks });
    return finish(summary, chunks, {
      usage: { inputTokens: total.inputTokens, outputTokens: total.outputTokens },
      costUsd: total.costUsd,
      cached: false,
      verbatim: false,
    });
  } finally {
    limits.release();
  }
}

/** The steps whose prompt the budget must leave room for (the part numbers at their widest). */
const BUDGET_STEPS: SummaryStep[] = [
  { kind: "whole" },
  { kind: "part", index: 9999, total: 9999 },
  { kind: "notes", final: true },
  { kind: "notes", final: false },
];

/** Link targets and images cost tokens and say nothing to a summary: keep only link texts. */
// Images and link targets cost tokens and say nothing about the page; a feed's entry links are
// what its digest points the reader to, so they stay.
function forModel(markdown: string, keepLinks: boolean): string {
  const withoutImages = markdown.replace(/!\[[^\]]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, "");
  return (
    keepLinks
      ? withoutImages
      : withoutImages.replace(/\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, "$1")
  ).trim();
}

function formatNotes(notes: string[]): string {
  return notes.map((note, i) => `## Part ${i + 1}\n\n${note.trim()}`).join("\n\n");
}

/**
 * Consecutive notes, packed into groups that each fit one call. A note longer than half a
 * chunk (a model that ignored its cap) keeps only its start, so that every group holds two
 * notes or more and each round shrinks the notes.
 */
function groupNotes(notes: string[], chunkTokens: number, count: CountTokens): string[][] {
  // A few tokens spare for tokenizers that count a joint differently from its two sides.
  const noteTokens = Math.floor((chunkTokens - count(formatNotes(["", ""])) - 8) / 2);
  const groups: string[][] = [];
  let group: string[] = [];
  for (const note of notes) {
    const kept = count(note) > noteTokens ? (splitIntoChunks(note, noteTokens, count)[0] ?? "") : note;
    if (group.length > 0 && count(formatNotes([...group, kept])) > chunkTokens) {
      groups.push(group);
      group = [];
    }
    group.push(kept);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

interface CachedSummary {
  summary: string;
  chunks: number;
}

function isCachedSummary(value: unknown): value is CachedSummary {
  const entry = value as Partial<CachedSummary> | null;
  return typeof entry?.summary === "string" && typeof entry.chunks === "number";
}

function sum(total: number | null, value: number | null): number | null {
  return total === null || value === null ? null : total + value;
}
