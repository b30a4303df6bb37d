import type { Command } from "./command.ts";

interface CommandEntry {
  name: string;
  summary: string;
  /** Commands load on use, so `llmux --help` doesn't pay for the model engines. */
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: "ask",
    summary: "ask a model one question; the answer streams (stdin, when piped, is added as context)",
    load: async () => (await import("./ask.ts")).askCommand,
  },
  {
    name: "chat",
    summary: "talk with a model in the terminal: streaming, history, /model, /system, /clear, /cost",
    load: async () => (await import("./chat.ts")).chatCommand,
  },
  {
    name: "models",
    summary:
      "list the models: open or closed weights, context, dated prices, ready or why not (no key, not downloaded, not running)",
    load: async () => (await import("./models.ts")).modelsCommand,
  },
  {
    name: "usage",
    summary: "calls, tokens and cost by day and model, from the usage log",
    load: async () => (await import("./usage.ts")).usageCommand,
  },
  {
    name: "pull",
    summary:
      "download a GGUF model for the embedded engine (catalog name, hf:OWNER/REPO/FILE.gguf, URL or path)",
    load: async () => (await import("./pull.ts")).pullCommand,
  },
  {
    name: "rm",
    summary: "remove a model from llmux's model store (never touches Ollama's)",
    load: async () => (await import("./rm.ts")).rmCommand,
  },
  {
    name: "tokens",
    summary: "split a text into a model's tokens: ids, pieces and the count",
    load: async () => (await import("./tokens.ts")).tokensCommand,
  },
  {
    name: "next",
    summary: "the most likely next tokens after a text, with their probabilities (local models)",
    load: async () => (await import("./next.ts")).nextCommand,
  },
  {
    name: "serve",
    summary: "run the OpenAI-compatible gateway: /v1/chat/completions, /v1/embeddings, /v1/models, /metrics",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
  {
    name: "pools",
    summary: "a running gateway's pools: each deployment healthy or ejected, in flight, latency, failures",
    load: async () => (await import("./pools.ts")).poolsCommand,
  },
  {
    name: "keys",
    summary: "gateway keys: create (shown once), list, revoke",
    load: async () => (await import("./keys.ts")).keysCommand,
  },
  {
    name: "db",
    summary: "the store: migrate it, or copy the SQLite file into PostgreSQL (db copy --to postgres://...)",
    load: async () => (await import("./db.ts")).dbCommand,
  },
  {
    name: "read",
    summary: "print the main content of a web page, file or stdin, without navigation, ads and footers",
    load: async () => (await import("./read.ts")).readCommand,
  },
  {
    name: "summarize",
    summary: "summarize web pages, files or stdin with any model, however long they are",
    load: async () => (await import("./summarize.ts")).summarizeCommand,
  },
  {
    name: "cache",
    summary: "the summary cache: how many summaries and bytes it holds; `llmux cache clear` empties it",
    load: async () => (await import("./cache.ts")).cacheCommand,
  },
  {
    name: "compare",
    summary: "one prompt to several models at once: each answer, then tokens, cost and timings side by side",
    load: async () => (await import("./compare.ts")).compareCommand,
  },
];
