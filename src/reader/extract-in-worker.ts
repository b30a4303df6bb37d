import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ErrorKind, LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import type { ExtractReply, ExtractRequest, ExtractResults } from "./extract-worker.ts";
import type { CaptionTrack, VideoInfo } from "./youtube-captions.ts";

/** Longer than any real page takes (the slowest corpus page: about 0.3 s); hostile ones hit it. */
const EXTRACT_DEADLINE_MS = 15_000;

interface Job {
  request: ExtractRequest;
  /** What is being read, for the deadline's message: "the page", "the PDF"… */
  subject: string;
  deadlineMs: number;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  worker: Worker;
  job: Job | undefined;
}

/**
 * The worker: the built JavaScript beside this file; when this file is the TypeScript source
 * run through tsx (the tests), the source too, after registering tsx's loader in the worker
 * (a worker inherits no loader, and Node 20 ignores `--import` in a worker's execArgv).
 */
function newWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./extract-worker.js", import.meta.url));
  const source = JSON.stringify(new URL("./extract-worker.ts", import.meta.url).href);
  return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${source}); })`, {
    eval: true,
  });
}
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
const idle: PoolWorker[] = [];
const queue: Job[] = [];
let started = 0;

/**
 * Runs one parse in a small pool of worker threads, so a slow or hostile document never stalls
 * the event loop (a gateway keeps answering other requests meanwhile). A job that takes longer
 * than the deadline has its worker terminated and fails with page_too_complex.
 * Idle workers don't keep the process alive.
 */
function runInWorker<T extends ExtractRequest>(
  request: T,
  subject: string,
  deadlineMs = EXTRACT_DEADLINE_MS,
): Promise<ExtractResults[T["type"]]> {
  return new Promise((resolve, reject) => {
    queue.push({ request, subject, deadlineMs, resolve: resolve as (result: unknown) => void, reject });
    dispatch();
  });
}

/** A page's main content (see extractContent), extracted in a worker thread. */
export function extractInWorker(
  html: string,
  options: { url?: string; deadlineMs?: number } = {},
): Promise<ExtractedContent> {
  return runInWorker({ type: "html", html, url: options.url }, "the page", options.deadlineMs);
}

/** A PDF's text layer as Markdown (see extractPdf), in a worker thread; pdf.js loads there, on the first PDF. */
export function extractPdfInWorker(
  data: Uint8Array,
  options: { deadlineMs?: number } = {},
): Promise<ExtractedContent> {
  return runInWorker({ type: "pdf", data }, "the PDF", options.deadlineMs);
}

/** A feed's newest entries as one Markdown digest (see extractFeed), in a worker thread. */
export function extractFeedInWorker(
  xml: string,
  options: { url?: string; limit?: number; deadlineMs?: number } = {},
): Promise<ExtractedContent> {
  return runInWorker(
    { type: "feed", xml, url: options.url, limit: options.limit },
    "the feed",
    options.deadlineMs,
  );
}

/** What a YouTube watch page says about its video and captions (see parseWatchPage), in a worker thread. */
export function parseWatchPageInWorker(html: string): Promise<VideoInfo | null> {
  return runInWorker({ type: "youtube-page", html }, "the video page");
}

/** What InnerTube's player answer says about a video and its captions (see parsePlayerJson), in a worker thread. */
export function parsePlayerJsonInWorker(json: string): Promise<VideoInfo | null> {
  return runInWorker({ type: "youtube-player", json }, "the video's data");
}

/** A caption track as the video's Markdown (see captionsToContent), in a worker thread. */
export function captionsInWorker(
  body: string,
  video: VideoInfo,
  track: CaptionTrack,
): Promise<ExtractedContent> {
  return runInWorker({ type: "captions", body, video, track }, "the captions");
}

function dispatch(): void {
  while (queue.length > 0) {
    const next = idle.pop() ?? (started < POOL_SIZE ? startWorker() : undefined);
    if (!next) return;
    run(next, queue.shift()!);
  }
}

function startWorker(): PoolWorker {
  started++;
  const entry: PoolWorker = { worker: newWorker(), job: undefined };
  const died = (error: unknown) => {
    if (entry.job) return finish(entry, () => entry.job?.reject(error), true);
    // An idle worker that died is simply forgotten; the next page starts a fresh one. It is
    // counted out once: a crash reports both "error" and "exit".
    const at = idle.indexOf(entry);
    if (at === -1) return;
    idle.splice(at, 1);
    started--;
  };
  entry.worker.on("error", died);
  entry.worker.on("exit", () => died(new Error("The extraction worker stopped")));
  return entry;
}

function run(entry: PoolWorker, job: Job): void {
  entry.job = job;
  entry.worker.ref();
  const timer = setTimeout(() => {
    finish(
      entry,
      () =>
        job.reject(
          new LlmuxError(
            "page_too_complex",
            `Extracting ${job.subject} took longer than ${job.deadlineMs / 1000} s`,
            {
              hint:
                job.subject === "the page"
                  ? "The page is too complex to read safely; try another page or its print version"
                  : `${job.subject.replace(/^the/, "The")} is too large or complex to read safely`,
            },
          ),
        ),
      true,
    );
  }, job.deadlineMs);
  entry.worker.once("message", (reply: ExtractReply) => {
    clearTimeout(timer);
    finish(entry, () => {
      if (reply.ok) job.resolve(reply.result);
      else if (reply.kind)
        job.reject(new LlmuxError(reply.kind as ErrorKind, reply.message, { hint: reply.hint }));
      else job.reject(new Error(reply.message));
    });
  });
  entry.worker.postMessage(job.request);
}

/** Settles the worker's job once; a worker that failed or ran over is terminated and replaced on demand. */
function finish(entry: PoolWorker, settle: () => void, discard = false): void {
  if (!entry.job) return;
  settle();
  entry.job = undefined;
  if (discard) {
    started--;
    entry.worker.removeAllListeners();
    entry.worker.on("error", () => {});
    void entry.worker.terminate();
  } else {
    entry.worker.unref();
    idle.push(entry);
  }
  dispatch();
}
