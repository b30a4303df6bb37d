import type { CallOptions } from "../client/call-options.ts";
import type { Llmux, StreamResult } from "../client/create-llmux.ts";
import { EXIT_CODES, isLlmuxError, LlmuxError } from "../core/errors.ts";
import { formatCost } from "../core/format-cost.ts";
import type { Command } from "./command.ts";
import { createCliLlmux } from "./create-cli-llmux.ts";
import { createMarkdownRenderer } from "./create-markdown-renderer.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { describeError } from "./describe-error.ts";
import { formatTable } from "./format-table.ts";
import { maxTokensOption, modelOption, systemOption, temperatureOption } from "./model-call-options.ts";
import { readStdin } from "./read-stdin.ts";
import { writeJson } from "./write-json.ts";

type Done = Awaited<StreamResult["result"]>;

interface Outcome {
  model: string;
  result?: Done;
  error?: unknown;
}

const options = defineOptions({
  model: { ...modelOption, type: "multiple", description: "a model to compare; give two or more" },
  system: { ...systemOption, description: "system prompt, the same for every model" },
  temperature: temperatureOption,
  "max-tokens": { ...maxTokensOption, description: "most tokens in each answer" },
  json: {
    type: "boolean",
    description:
      "one JSON object per model, one per line (JSON Lines): model, text,\nusage, costUsd, timeToFirstTokenMs, latencyMs, error",
  },
  timeout: {
    type: "number",
    placeholder: "SECONDS",
    min: 0.001,
    description: "give up on a model after this long (default 600)",
  },
});

export const compareCommand: Command<typeof options> = {
  usage: `PROMPT... --model A --model B [--model C ...] [options]

Sends one prompt to every model at once (streaming, in parallel), then prints each answer and
a table of tokens, cost, time to first token and total time. Piped stdin is added as context.

${renderOptionsHelp(options)}

A model that fails is reported in its place; the exit code is then 40 (some failed), or the
first error's code when all of them failed.

Examples:
  llmux compare "Explain CRDTs in two sentences" --model openai:gpt-4.1-mini --model anthropic:claude-haiku-4-5
  llmux compare "Name three sorting algorithms" -m ollama:llama3.2:1b -m local:qwen2.5:0.5b --json`,
  options,
  async run({ values, positionals, io, config }) {
    const models = values.model;
    if (models.length < 2) {
      throw new LlmuxError("usage", `Compare needs two models or more, got ${models.length}`, {
        hint: 'Give each with --model: llmux compare "..." --model openai:gpt-4.1-mini --model ollama:llama3.2:1b',
      });
    }
    const question = positionals.join(" ").trim();
    const context = (await readStdin(io.stdin))?.trim();
    if (!question && !context) {
      throw new LlmuxError("usage", "Nothing to compare", {
        hint: 'Give a prompt (llmux compare "..." --model A --model B) or pipe text in',
      });
    }
    const prompt = question && context ? `${question}\n\n${context}` : question || context || "";
    const seconds = values.timeout;
    const call: CallOptions = {
      prompt,
      system: values.system,
      temperature: values.temperature,
      maxTokens: values["max-tokens"],
      timeoutMs: seconds === undefined ? undefined : Math.round(seconds * 1000),
    };
    const llmux = createCliLlmux(config(), io);
    const outcomes = await Promise.all(models.map((model) => runOne(llmux, { ...call, model })));

    if (values.json) {
      writeJson(io, outcomes.map(toJson));
    } else {
      for (const outcome of outcomes) {
        const renderer = createMarkdownRenderer(io.color);
        const body = outcome.result
          ? outcome.result.text.trimEnd()
          : `Error: ${describeError(outcome.error)}`;
        io.stdout.write(`== ${outcome.model} ==\n${renderer.write(`${body}\n`)}${renderer.end()}\n`);
      }
      io.stdout.write(
        formatTable(
          ["MODEL", "IN", "OUT", "COST", "FIRST TOKEN", "TOTAL"],
          outcomes.map(({ model, result }) =>
            result
              ? [
                  result.model,
                  String(result.usage.inputTokens ?? "?"),
                  String(result.usage.outputTokens ?? "?"),
                  formatCost(result.costUsd),
                  formatSeconds(result.timeToFirstTokenMs),
                  formatSeconds(result.latencyMs),
                ]
              : [model, "-", "-", "-", "-", "failed"],
          ),
        ),
      );
    }
    const errors = outcomes.filter((o) => o.error !== undefined).map((o) => o.error);
    if (errors.length === 0) return 0;
    if (errors.length < outcomes.length) return EXIT_CODES.partial_failure;
    return isLlmuxError(errors[0]) ? errors[0].exitCode : 1;
  },
};

/** One model's stream, drained; the text is collected by the result. A failure is kept, not thrown. */
async function runOne(llmux: Llmux, call: CallOptions & { model: string }): Promise<Outcome> {
  try {
    const { textStream, result } = llmux.stream(call);
    for await (const _ of textStream) {
      // The answers print whole once all are done; interleaved deltas would be unreadable.
    }
    return { model: call.model, result: await result };
  } catch (error) {
    return { model: call.model, error };
  }
}

function formatSeconds(ms: number | null): string {
  return ms === null ? "?" : `${(ms / 1000).toFixed(2)} s`;
}

/** The documented shape of each result of `llmux compare --json`. */
function toJson({ model, result, error }: Outcome) {
  return {
    model: result?.model ?? model,
    text: result?.text ?? null,
    usage: result ? { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens } : null,
    costUsd: result?.costUsd ?? null,
    timeToFirstTokenMs: result?.timeToFirstTokenMs ?? null,
    latencyMs: result?.latencyMs ?? null,
    error:
      error === undefined
        ? null
        : { kind: isLlmuxError(error) ? error.kind : "internal", message: describeError(error) },
  };
}
