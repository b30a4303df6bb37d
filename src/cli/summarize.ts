import { createLimiter } from "../core/create-limiter.ts";
import { EXIT_CODES, isLlmuxError, LlmuxError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import { SUMMARY_LENGTHS } from "../summarize/build-summary-prompt.ts";
import { type SummarizeOptions, type Summary, summarize } from "../summarize/summarize.ts";
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
    choices: SUMMARY_LENGTHS,
    default: "short",
    description: "short, medium or long",
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
      "one JSON object per source, one per line (JSON Lines): url, title, summary,\nmodel, usage {inputTokens, outputTokens}, costUsd, chunks,\ntimings {fetchMs, extractMs, llmMs}",
  },
  ...readerOptions,
});

export const summarizeCommand: Command<typeof options> = {
  usage: `SOURCE... [options]

SOURCE is an http(s) URL, a local file (.html, .md, .txt) or - for stdin. A page too long for
the model's context is summarized in parts, then the parts' notes are combined.

${renderOptionsHelp(options)}

With several sources, each failure is reported on its own line and the others still print; the
exit code is then 40 (some failed), or the first error's code when all of them failed.

Examples:
  llmux summarize https://example.com/news --model openai:gpt-4.1-mini
  llmux summarize report.html --length long --language French -o summary.md
  llmux summarize https://a.example/1 https://b.example/2 --json`,
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
    // The model first: a missing default model is offered for download before any page is fetched.
    await ensureLocalModel(values.model, config(), io);
    const job: SummarizeOptions = {
      llmux: createCliLlmux(config(), io),
      model: values.model,
      length: values.length,
      language: values.language,
      prompt: values.prompt,
      read: { ...toReadPageOptions(values), stdin: io.stdin },
    };
    const { json, output } = values;
    const [only] = positionals;
    if (only !== undefined && positionals.length === 1 && !json && output === undefined) {
      await streamOne(only, job, io);
      return 0;
    }

    // Several sources (or JSON, or a file): each printed whole, in the order given, as soon as
    // it and those before it are done.
    const several = positionals.length > 1;
    const limit = createLimiter(SOURCES_AT_ONCE);
    const runs = positionals.map((source) =>
      limit(() => summarize(source, job)).then(
        (summary) => ({ source, summary }),
        (error: unknown) => ({ source, error }),
      ),
    );
    const written: string[] = [];
    const errors: unknown[] = [];
    for (const run of runs) {
      const outcome = await run;
      if ("error" in outcome) {
        if (!several) throw outcome.error;
        errors.push(outcome.error);
        io.stderr.write(`llmux: ${outcome.source}: ${describeError(outcome.error)}\n`);
        continue;
      }
      const text = json
        ? `${JSON.stringify(toJson(outcome.summary), null, io.prettyJson && output === undefined ? 2 : undefined)}\n`
        : `${several ? header(outcome.summary) : ""}${outcome.summary.summary}\n`;
      if (output !== undefined) {
        written.push(text);
      } else {
        const renderer = createMarkdownRenderer(io.color && !json);
        io.stdout.write(`${written.length > 0 && !json ? "\n" : ""}${renderer.write(text)}${renderer.end()}`);
        written.push(text);
      }
    }
    if (output !== undefined && written.length > 0) {
      await writeFileAtomic(output, written.join(json ? "" : "\n"));
      if (io.stderr.isTTY) io.stderr.write(`Summary written to ${output}\n`);
    }
    if (errors.length === 0) return 0;
    return errors.length === positionals.length ? exitCode(errors[0]) : EXIT_CODES.partial_failure;
  },
};

/** One source to the terminal: the answer streams, rendered as Markdown in a TTY. */
async function streamOne(source: string, options: SummarizeOptions, io: CliIo): Promise<void> {
  const renderer = createMarkdownRenderer(io.color);
  // Long pages take a while before the answer starts: say how far the parts are, in a TTY.
  let progress = false;
  let last = "";
  const summary = await summarize(source, {
    ...options,
    onProgress: ({ step, done, total }) => {
      if (!io.stderr.isTTY) return;
      progress = true;
      const what = step === "parts" ? "part" : "group of notes";
      io.stderr.write(`\r\x1b[2KSummarizing: ${what} ${done} of ${total} done`);
    },
    onText: (delta) => {
      if (progress) {
        io.stderr.write("\r\x1b[2K");
        progress = false;
      }
      io.stdout.write(renderer.write(delta));
      last = delta;
    },
  });
  io.stdout.write(renderer.end());
  if (!last.endsWith("\n")) io.stdout.write("\n");
  if (io.stderr.isTTY) {
    const call = { ...summary, latencyMs: summary.timings.llmMs };
    io.stderr.write(
      `${describeCall(call, io.color, summary.chunks > 1 ? ` · ${summary.chunks} parts` : "")}\n`,
    );
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
    timings: {
      fetchMs: summary.timings.fetchMs,
      extractMs: summary.timings.extractMs,
      llmMs: summary.timings.llmMs,
    },
  };
}

function exitCode(error: unknown): number {
  return isLlmuxError(error) ? error.exitCode : 1;
}
