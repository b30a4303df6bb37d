import { basename, resolve } from "node:path";
import {
  type ChatWrapper,
  InsufficientMemoryError,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  resolveChatWrapper,
} from "node-llama-cpp";
import { LlmuxError } from "../core/errors.ts";
import { chooseThreadCount } from "./choose-thread-count.ts";
import { type GpuSetting, loadLlama } from "./load-llama.ts";
import { type GgufHeader, readGgufHeader } from "./read-gguf-header.ts";

interface LocalEngineOptions {
  /** Defaults to `LLMUX_GPU`, else `"auto"`: the GPU build that works here, probed once (see {@link loadLlama}). */
  gpu?: GpuSetting;
  /** Where the probe's answer is kept; defaults to `gpu-probe.json` in llmux's cache dir. */
  gpuProbeFile?: string;
  /** Threads per context; defaults to {@link chooseThreadCount}. */
  threads?: number;
  /** Upper bound on the context size; the model's trained context and free memory bound it too. */
  contextSize?: number;
  /** Requests one model serves at the same time (each has its own context sequence); more wait in a queue. */
  parallel?: number;
  /** Requests that may wait for one model (default 16); one more fails at once as `busy`. */
  maxQueue?: number;
  /** Unload a model after this long without use. */
  idleUnloadMs?: number;
}

/** A model as the engine holds it. */
export interface LoadedLocalModel {
  path: string;
  header: GgufHeader;
  llama: Llama;
  model: LlamaModel;
  /** The model's own chat template as node-llama-cpp understands it; undefined when the file has none. */
  chatWrapper: ChatWrapper | undefined;
  contextSize: number;
}

interface LocalModelLease {
  loaded: LoadedLocalModel;
  release(): void;
}

export interface LocalSequenceLease extends LocalModelLease {
  sequence: LlamaContextSequence;
}

interface LocalEngineStats {
  /** Models loaded from disk since the engine started (a cache hit does not count). */
  loads: number;
  models: Array<{ path: string; contextSize: number; parallel: number; busy: number; waiting: number }>;
}

interface Entry {
  loaded: LoadedLocalModel;
  context: LlamaContext;
  parallel: number;
  free: LlamaContextSequence[];
  waiting: Array<(sequence: LlamaContextSequence) => void>;
  users: number;
  idleTimer: NodeJS.Timeout | undefined;
}

const DEFAULT_IDLE_UNLOAD_MS = 5 * 60_000;
const DEFAULT_PARALLEL = 2;
const DEFAULT_MAX_QUEUE = 16;
// What a `busy` refusal suggests: a short answer of a small model takes about this long.
const BUSY_RETRY_AFTER_SECONDS = 5;
// Below this many tokens a context is useless for chat; rather fail loudly than run crippled.
const MIN_CONTEXT_SIZE = 512;

/**
 * The in-process llama.cpp engine: one `Llama` for the process, each model file loaded once and
 * shared by every call, with a fixed pool of context sequences so concurrent calls never share
 * state. Models unload after an idle time (the timer does not keep the process alive).
 */
export class LocalEngine {
  private options: LocalEngineOptions;
  private llama: Promise<Llama> | undefined;
  private readonly entries = new Map<string, Promise<Entry>>();
  // The same entries once loaded, so stats() can stay synchronous.
  private readonly loaded = new Map<string, Entry>();
  private loads = 0;

  constructor(options: LocalEngineOptions = {}) {
    this.options = options;
  }

  /** Changes settings for models loaded from now on. */
  configure(options: LocalEngineOptions): void {
    this.options = { ...this.options, ...options };
  }

  stats(): LocalEngineStats {
    const models = [...this.loaded.values()].map((entry) => ({
      path: entry.loaded.path,
      contextSize: entry.loaded.contextSize,
      parallel: entry.parallel,
      busy: entry.parallel - entry.free.length,
      waiting: entry.waiting.length,
    }));
    return { loads: this.loads, models };
  }

  /** The model, loaded if needed, for work that needs no context (tokenizing). */
  async useModel(modelPath: string): Promise<LocalModelLease> {
    const entry = await this.entry(modelPath);
    this.take(entry);
    return { loaded: entry.loaded, release: once(() => this.give(entry)) };
  }

  /** A context sequence of its own for one generation; waits while all are busy. */
  async acquireSequence(modelPath: string, signal?: AbortSignal): Promise<LocalSequenceLease> {
    signal?.throwIfAborted();
    const entry = await this.entry(modelPath);
    this.take(entry);
    let sequence: LlamaContextSequence;
    try {
      sequence = entry.free.pop() ?? (await waitForSequence(entry, signal, this.maxQueue()));
    } catch (error) {
      this.give(entry);
      throw error;
    }
    const release = once(() => {
      const next = entry.waiting.shift();
      if (next) next(sequence);
      else entry.free.push(sequence);
      this.give(entry);
    });
    return { loaded: entry.loaded, sequence, release };
  }

  /** Unloads every model now (waiting for none); later calls load them again. */
  async unloadAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.loaded.clear();
    for (const pending of entries) {
      const entry = await pending.catch(() => undefined);
      if (entry) await disposeEntry(entry);
    }
  }

  /** Unloads everything and releases llama.cpp itself. */
  async dispose(): Promise<void> {
    await this.unloadAll();
    const llama = await this.llama?.catch(() => undefined);
    this.llama = undefined;
    await llama?.dispose();
  }

  private maxQueue(): number {
    return this.options.maxQueue ?? DEFAULT_MAX_QUEUE;
  }

  private getLlama(): Promise<Llama> {
    this.llama ??= loadLlama(this.options.gpu, this.options.gpuProbeFile);
    return this.llama;
  }

  private entry(modelPath: string): Promise<Entry> {
    const path = resolve(modelPath);
    let pending = this.entries.get(path);
    if (!pending) {
      pending = this.load(path);
      this.entries.set(path, pending);
      pending.catch(() => {
        if (this.entries.get(path) === pending) this.entries.delete(path);
      });
    }
    return pending;
  }

  private async load(path: string): Promise<Entry> {
    const header = await readGgufHeader(path);
    const llama = await this.getLlama();
    const threads = chooseThreadCount({ threads: this.options.threads });
    const parallel = this.options.parallel ?? DEFAULT_PARALLEL;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path });
    } catch (error) {
      throw loadError(error, path, "model");
    }
    const trained = header.contextLength ?? model.trainContextSize;
    const max = Math.min(trained, this.options.contextSize ?? trained);
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: { min: Math.min(max, MIN_CONTEXT_SIZE), max },
        sequences: parallel,
        threads,
      });
    } catch (error) {
      await model.dispose();
      throw loadError(error, path, "context");
    }
    this.loads += 1;
    const loaded: LoadedLocalModel = {
      path,
      header,
      llama,
      model,
      chatWrapper: header.chatTemplate ? resolveChatWrapper(model) : undefined,
      contextSize: context.contextSize,
    };
    const free = Array.from({ length: parallel }, () => context.getSequence());
    const entry: Entry = { loaded, context, parallel, free, waiting: [], users: 0, idleTimer: undefined };
    this.loaded.set(path, entry);
    this.scheduleUnload(entry);
    return entry;
  }

  private take(entry: Entry): void {
    entry.users += 1;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
  }

  private give(entry: Entry): void {
    entry.users -= 1;
    if (entry.users === 0) this.scheduleUnload(entry);
  }

  private scheduleUnload(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entry.users > 0 || this.loaded.get(entry.loaded.path) !== entry) return;
      this.entries.delete(entry.loaded.path);
      this.loaded.delete(entry.loaded.path);
      void disposeEntry(entry);
    }, this.options.idleUnloadMs ?? DEFAULT_IDLE_UNLOAD_MS);
    entry.idleTimer.unref();
  }
}

/** The engine every `local:` model of this process shares. */
export const localEngine = new LocalEngine();

function waitForSequence(
  entry: Entry,
  signal: AbortSignal | undefined,
  maxQueue: number,
): Promise<LlamaContextSequence> {
  if (entry.waiting.length >= maxQueue) {
    return Promise.reject(
      new LlmuxError(
        "busy",
        `${basename(entry.loaded.path)} is busy: ${entry.parallel} requests running and ${entry.waiting.length} waiting, as many as its queue holds`,
        {
          hint: "Try again in a few seconds (the queue's length is local.maxQueue in the config)",
          retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
        },
      ),
    );
  }
  return new Promise((resolvePromise, reject) => {
    const onAbort = () => {
      entry.waiting.splice(entry.waiting.indexOf(grant), 1);
      reject(signal?.reason);
    };
    const grant = (sequence: LlamaContextSequence) => {
      signal?.removeEventListener("abort", onAbort);
      resolvePromise(sequence);
    };
    entry.waiting.push(grant);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function disposeEntry(entry: Entry): Promise<void> {
  clearTimeout(entry.idleTimer);
  await entry.context.dispose();
  await entry.loaded.model.dispose();
}

function loadError(error: unknown, path: string, what: "model" | "context"): LlmuxError {
  if (error instanceof InsufficientMemoryError) {
    return new LlmuxError(
      "insufficient_memory",
      `Not enough free memory to load ${path} (${error.message})`,
      {
        hint:
          what === "context"
            ? "Lower the context size (contextSize) or the number of parallel requests, or free memory"
            : "Use a smaller or more quantized model, or free memory",
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmuxError("corrupt_gguf", `llama.cpp could not load ${path}: ${message}`, {
    hint: "Check that the file is a complete GGUF model supported by this llama.cpp version",
    cause: error,
  });
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
