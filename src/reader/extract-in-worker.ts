import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ErrorKind, LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import type { ExtractReply, ExtractRequest } from "./extract-worker.ts";

/** Longer than any real page takes (the slowest corpus page: about 0.3 s); hostile ones hit it. */
const EXTRACT_DEADLINE_MS = 15_000;

interface Job extends ExtractRequest {
  deadlineMs: number;
  resolve(content: ExtractedContent): void;
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
 * Extracts a page's main content in a small pool of worker threads, so a slow or hostile page
 * never stalls the event loop (a gateway keeps answering other requests meanwhile). A page that
 * takes longer than the deadline has its worker terminated and fails with page_too_complex.
 * Idle workers don't keep the process alive.
 */
export function extractInWorker(
  html: string,
  options: { url?: string; deadlineMs?: number } = {},
): Promise<ExtractedContent> {
  return new Promise((resolve, reject) => {
    queue.push({
      html,
      url: options.url,
      deadlineMs: options.deadlineMs ?? EXTRACT_DEADLINE_MS,
      resolve,
      reject,
    });
    dispatch();
  });
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
            `Extracting the page took longer than ${job.deadlineMs / 1000} s`,
            {
              hint: "The page is too complex to read safely; try another page or its print version",
            },
          ),
        ),
      true,
    );
  }, job.deadlineMs);
  entry.worker.once("message", (reply: ExtractReply) => {
    clearTimeout(timer);
    finish(entry, () => {
      if (reply.ok) job.resolve(reply.content);
      else if (reply.kind)
        job.reject(new LlmuxError(reply.kind as ErrorKind, reply.message, { hint: reply.hint }));
      else job.reject(new Error(reply.message));
    });
  });
  entry.worker.postMessage({ html: job.html, url: job.url } satisfies ExtractRequest);
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
