import { createLimiter } from "../core/create-limiter.ts";
import { EXIT_CODES, isLlmuxError, LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import { createSummaryCache } from "../store/create-summary-cache.ts";
import { openDatabase } from "../store/open-database.ts";
import { type SummarizeOptions, type Summary, summarize } from "../summarize/summarize.ts";
import { type SiteProgress, type SiteSummary, summarizeSite } from "../summarize/summarize-site.ts";
import type { SummaryCache } from "../summarize/summary-cache.ts";
import { parseSummaryLength } from "../summarize/summary-lengths.ts";
import type { CliIo, Command } from "./command.ts";
import { createCliLlmux } from "./create-cli-llmux.ts";
import { createMarkdownRenderer } from "./create-markdown-renderer.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { describeCall } from "./describe-call.ts";
import { describeError } from "./describe-error.ts";
import { ensureLocalModel } from "./ensure-local-model.ts";
import { modelOption } from "./model-call-options.ts";
import { readerOptions, toReadPageOptions } from "./reader-options.ts";

/** Sources read and summarized at the same time (each runs its own model calls concurrently too). */
const SOURCES_AT_ONCE = 3;

const options = defineOptions({
  model: modelOption,
  length: {
    type: "string",
    short: "l",
    placeholder: "LENGTH",
    default: "short",
    description:
      "short, medium, long, xl, or a target in characters (e.g. 1500);\ncontent already shorter is printed as it is, without a model call",
  },
  language: {
    type: "string",
    placeholder: "LANG",
    description: "write the summary in this language, e.g. French",
  },
  prompt: {
    type: "string",
    short: "p",
    placeholder: "TEXT",
    description: 'your own instruction instead of "a short Markdown summary of the page"',
  },
  output: {
    type: "string",
    short: "o",
    placeholder: "FILE",
    description: "write the summary to FILE instead of the terminal",
  },
  json: {
    type: "boolean",
    description:
      "one JSON object per source, one per line (JSON Lines): url, title, summary,\nmodel, usage {inputTokens, outputTokens}, costUsd, chunks, cached, verbatim,\ntimings {fetchMs, extractMs, llmMs}; with --site also pages [{url, title, reason,\nerror}] and linkChoice (model, keywords or none)",
  },
  site: {
    type: "boolean",
    description:
      "summarize a whole site: the page given, and the same-site pages the model\nchooses from its links (about, products, pricing, careers...)",
  },
  pages: {
    type: "number",
    placeholder: "N",
    min: 1,
    max: 20,
    integer: true,
    description: "with --site: how many more pages to read, at most (default 5)",
  },
  brochure: {
    type: "boolean",
    description: "with --site (implied): write a short company brochure in Markdown",
  },
  "no-cache": {
    type: "boolean",
    description: "neither read nor write the summary cache (see `llmux cache`)",
  },
  ...readerOptions,
});

export const summarizeCommand: Command<typeof options> = {
  usage: `SOURCE... [options]

SOURCE is an http(s) URL (a page, a PDF, an RSS or Atom feed, a YouTube video's captions), a
local file (.html, .md, .txt, .pdf, .rss, .xml) or - for stdin. A feed is summarized as one
digest of its newest entries (--limit), with their links. A page too long for the model's
context is summarized in parts, then the parts' notes are combined. With --site,
SOURCE is one web address, and the overview covers the pages the model chooses to read.

${renderOptionsHelp(options)}

With several sources, each failure is reported on its own line and the others still print; the
exit code is then 40 (some failed), or the first error's code when all of them failed.

Examples:
  llmux summarize https://example.com/news --model openai:gpt-4.1-mini
  llmux summarize report.html --length long --language French -o summary.md
  llmux summarize https://a.example/1 https://b.example/2 --json
  llmux summarize --site https://example.com --pages 3
  llmux summarize --brochure https://example.com -o brochure.md`,
  options,
  async run({ values, positionals, io, config }) {
    if (positionals.length === 0) {
      throw new LlmuxError("usage", "Nothing to summarize", {
        hint: "Give one or more URLs, files or - (stdin): llmux summarize https://example.com/article",
      });
    }
    if (positionals.filter((source) => source === "-").length > 1) {
      throw new LlmuxError("usage", "Standard input (-) can be read only once", { hint: "Give - once" });
    }
    const site = values.site || values.brochure;
    if (!site && values.pages !== undefined) {
      throw new LlmuxError("usage", "--pages works with --site", {
        hint: "llmux summarize --site https://example.com --pages 3",
      });
    }
    if (site && positionals.length > 1) {
      throw new LlmuxError("usage", "--site summarizes one site at a time", {
        hint: "Give one web address: llmux summarize --site https://example.com",
      });
    }
    const length = parseSummaryLength(values.length);
    // The model first: a missing default model is offered for download before any page is fetched.
    await ensureLocalModel(values.model, config(), io);
    const job: Job = {
      llmux: createCliLlmux(config(), io),
      model: values.model,
      length,
      language: values.language,
      prompt: values.prompt,
      read: { ...toReadPageOptions(values), stdin: io.stdin },
      cache: values["no-cache"] ? undefined : openCache(config(), io),
    };
    const { json, output } = values;
    const status = createStatusLine(io);
    const note = (message: string) => {
      status.clear();
      io.stderr.write(`llmux: ${message}\n`);
    };
    const run: Summarizer = site
      ? (source, options) =>
          summarizeSite(source, { ...options, pages: values.pages, brochure: values.brochure, onNote: note })
      : summarize;
    // Ctrl-C leaves the terminal as it found it: no status line left under the prompt.
    const interrupted = () => {
      status.clear();
      process.exit(EXIT_CODES.interrupted);
    };
    process.once("SIGINT", interrupted);
    try {
      const [only] = positionals;
      if (only !== undefined && positionals.length === 1 && !json && output === undefined) {
        await streamOne(run, only, job, io, status);
        return 0;
      }
      return await printAll(run, positionals, job, io, status, { json, output });
    } finally {
      process.off("SIGINT", interrupted);
      status.clear();
    }
  },
};

/**
 * Several sources (or JSON, or a file): each printed whole, in the order given, as soon as it
 * and those before it are done.
 */
async function printAll(
  run: Summarizer,
  sources: string[],
  job: Job,
  io: CliIo,
  status: StatusLine,
  { json, output }: { json: boolean; output: string | undefined },
): Promise<number> {
  const several = sources.length > 1;
  const limit = createLimiter(SOURCES_AT_ONCE);
  let finished = 0;
  const runs = sources.map((source) =>
    limit(() =>
      run(source, {
        ...job,
        // One source: its own steps; several at once: how many are done.
        onProgress: several ? undefined : (progress) => status.show(describeProgress(progress)),
      }),
    )
      .then(
        (summary) => ({ source, summary }),
        (error: unknown) => ({ source, error }),
      )
      .finally(() => {
        if (several) status.show(`Summarizing: ${++finished} of ${sources.length} sources done`);
      }),
  );
  if (several) status.show(`Summarizing: 0 of ${sources.length} sources done`);
  const written: string[] = [];
  const errors: unknown[] = [];
  for (const run of runs) {
    const outcome = await run;
    status.clear();
    if ("error" in outcome) {
      if (!several) throw outcome.error;
      errors.push(outcome.error);
      io.stderr.write(`llmux: ${outcome.source}: ${describeError(outcome.error)}\n`);
      continue;
    }
    noteShortcut(outcome.summary, several ? outcome.source : undefined, io);
    const text = json
      ? `${JSON.stringify(toJson(outcome.summary), null, io.prettyJson && output === undefined ? 2 : undefined)}\n`
      : `${several ? header(outcome.summary) : ""}${outcome.summary.summary}\n`;
    if (output === undefined) {
      const renderer = createMarkdownRenderer(io.color && !json);
      io.stdout.write(`${written.length > 0 && !json ? "\n" : ""}${renderer.write(text)}${renderer.end()}`);
    }
    written.push(text);
  }
  if (output !== undefined && written.length > 0) {
    await writeFileAtomic(output, written.join(json ? "" : "\n"));
    if (io.stderr.isTTY) io.stderr.write(`Summary written to ${output}\n`);
  }
  if (errors.length === 0) return 0;
  return errors.length === sources.length ? exitCode(errors[0]) : EXIT_CODES.partial_failure;
}

/** One source to the terminal: the answer streams, rendered as Markdown in a TTY. */
async function streamOne(run: Summarizer, source: string, options: Job, io: CliIo, status: StatusLine) {
  const renderer = createMarkdownRenderer(io.color);
  let last = "";
  const summary = await run(source, {
    ...options,
    onProgress: (progress) => status.show(describeProgress(progress)),
    onText: (delta) => {
      status.clear();
      io.stdout.write(renderer.write(delta));
      last = delta;
    },
  });
  io.stdout.write(renderer.end());
  if (!last.endsWith("\n")) io.stdout.write("\n");
  noteShortcut(summary, undefined, io);
  // Under a summary a model wrote: which, what it cost, how long (noteShortcut said why none did).
  if (io.stderr.isTTY && !summary.verbatim && !summary.cached) {
    const call = { ...summary, latencyMs: summary.timings.llmMs };
    io.stderr.write(
      `${describeCall(call, io.color, summary.chunks > 1 ? ` · ${summary.chunks} parts` : "")}\n`,
    );
  }
}

/** A summary that took no model call says why, on stderr, so a user does not wonder. */
function noteShortcut(summary: Summary, source: string | undefined, io: CliIo): void {
  const from = source === undefined ? "" : `${source}: `;
  if (summary.cached) {
    io.stderr.write(`llmux: ${from}cached summary, no model called (--no-cache to write it again)\n`);
  } else if (summary.verbatim) {
    io.stderr.write(
      `llmux: ${from}the content is already shorter than the length asked for: printed as it is, no model called\n`,
    );
  }
}

/** What the status line says for each step of a summary. */
function describeProgress(progress: SiteProgress): string {
  switch (progress.step) {
    case "reading":
      return progress.source === "-" ? "Reading standard input" : `Fetching ${progress.source}`;
    case "extracting":
      return `Extracting ${progress.source === "-" ? "standard input" : progress.source}`;
    case "parts":
      // Parts run a few at once: the one named is the first not done yet.
      return progress.done < progress.total
        ? `Summarizing part ${progress.done + 1}/${progress.total}`
        : `Summarized ${progress.total} parts`;
    case "notes":
      return `Merging notes: ${progress.done}/${progress.total} groups done`;
    case "answer":
      return "Writing the summary";
    case "links":
      return "Choosing the pages to read";
    case "pages":
      return `Reading pages ${progress.done}/${progress.total}`;
  }
}

/** summarize, or summarizeSite with the site's options bound. */
type Summarizer = (source: string, options: Job) => Promise<Summary>;
/** The options of either, whose progress may include the site's steps. */
type Job = Omit<SummarizeOptions, "onProgress"> & { onProgress?: (progress: SiteProgress) => void };

interface StatusLine {
  show(text: string): void;
  clear(): void;
}

/**
 * One line on stderr that says what is happening, redrawn in place and erased before anything
 * else is printed; only when stderr is a terminal (a log or a pipe gets none).
 */
function createStatusLine(io: CliIo): StatusLine {
  let shown = false;
  if (!io.stderr.isTTY) return { show: () => {}, clear: () => {} };
  return {
    show(text) {
      const width = Math.max(20, (io.stderr.columns || 80) - 1);
      const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      io.stderr.write(`\r\x1b[2K${io.color ? `\x1b[2m${line}\x1b[22m` : line}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}

/**
 * The summary cache in the llmux database; one that cannot be opened (a read-only home, a newer
 * schema) is said once and the summary goes on without it.
 */
function openCache(config: LlmuxConfig, io: CliIo): SummaryCache | undefined {
  try {
    return createSummaryCache(openDatabase(config.paths.database), {
      maxBytes: config.file.summaryCache.maxBytes,
    });
  } catch (error) {
    io.stderr.write(`llmux: warning: summary cache not used: ${describeError(error)}\n`);
    return undefined;
  }
}

function header(summary: Summary): string {
  return `# ${summary.title || summary.url || "Untitled"}\n${summary.url ? `${summary.url}\n` : ""}\n`;
}

/** The documented shape of `llmux summarize --json`. */
function toJson(summary: Summary) {
  return {
    url: summary.url,
    title: summary.title,
    summary: summary.summary,
    model: summary.model,
    usage: { inputTokens: summary.usage.inputTokens, outputTokens: summary.usage.outputTokens },
    costUsd: summary.costUsd,
    chunks: summary.chunks,
    cached: summary.cached,
    verbatim: summary.verbatim,
    timings: {
      fetchMs: summary.timings.fetchMs,
      extractMs: summary.timings.extractMs,
      llmMs: summary.timings.llmMs,
    },
    ...("pages" in summary
      ? { pages: (summary as SiteSummary).pages, linkChoice: (summary as SiteSummary).linkChoice }
      : {}),
  };
}

function exitCode(error: unknown): number {
  return isLlmuxError(error) ? error.exitCode : 1;
}
