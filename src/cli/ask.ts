import { readFileSync } from "node:fs";
import type { CallOptions, CallResult } from "../client/call-options.ts";
import { LlmuxError } from "../core/errors.ts";
import type { Command } from "./command.ts";
import { createCliLlmux } from "./create-cli-llmux.ts";
import { createMarkdownRenderer } from "./create-markdown-renderer.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { describeCall } from "./describe-call.ts";
import { ensureLocalModel } from "./ensure-local-model.ts";
import { maxTokensOption, modelOption, systemOption, temperatureOption } from "./model-call-options.ts";
import { readStdin } from "./read-stdin.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  model: modelOption,
  system: systemOption,
  temperature: temperatureOption,
  "max-tokens": maxTokensOption,
  schema: {
    type: "string",
    placeholder: "FILE",
    description: "answer with JSON valid against this JSON Schema file",
  },
  json: {
    type: "boolean",
    description: "print one JSON object: text, model, provider, usage, costUsd, latencyMs",
  },
  timeout: {
    type: "number",
    placeholder: "SECONDS",
    min: 0.001,
    description: "give up after this long (default 600)",
  },
});

export const askCommand: Command<typeof options> = {
  usage: `[prompt...] [options]

${renderOptionsHelp(options)}

Examples:
  llmux ask "Why is the sky blue?" --model anthropic:claude-haiku-4-5
  git diff | llmux ask "Write a commit message for this change"`,
  options,
  async run({ values, positionals, io, config }) {
    const question = positionals.join(" ").trim();
    const piped = await readStdin(io.stdin);
    const context = piped?.trim();
    if (!question && !context) {
      throw new LlmuxError("usage", "Nothing to ask", {
        hint: 'Give a prompt (llmux ask "...") or pipe text into llmux ask',
      });
    }
    const prompt = question && context ? `${question}\n\n${context}` : question || context || "";
    const call: CallOptions = {
      model: values.model,
      prompt,
      system: values.system,
      temperature: values.temperature,
      maxTokens: values["max-tokens"],
      timeoutMs: secondsToMs(values.timeout),
    };
    await ensureLocalModel(values.model, config(), io);
    const llmux = createCliLlmux(config(), io);

    if (values.schema !== undefined) {
      const schema = readSchemaFile(values.schema);
      const result = await llmux.generateObject({ ...call, schema });
      const text = JSON.stringify(result.object, null, values.json ? undefined : 2);
      if (values.json) writeJson(io, [toJson({ ...result, text })]);
      else io.stdout.write(`${text}\n`);
      return 0;
    }
    if (values.json) {
      const result = await llmux.generate(call);
      writeJson(io, [toJson(result)]);
      return 0;
    }
    const renderer = createMarkdownRenderer(io.color);
    const { textStream, result } = llmux.stream(call);
    let last = "";
    for await (const delta of textStream) {
      io.stdout.write(renderer.write(delta));
      last = delta;
    }
    io.stdout.write(renderer.end());
    if (!last.endsWith("\n")) io.stdout.write("\n");
    const done = await result;
    if (io.stderr.isTTY) io.stderr.write(`${describeCall(done, io.color)}\n`);
    return 0;
  },
};

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

function readSchemaFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new LlmuxError("usage", `Cannot read the schema file ${path}`, {
      hint: "Check the path given to --schema",
    });
  }
  try {
    const schema = JSON.parse(text) as unknown;
    if (typeof schema !== "object" || schema === null || Array.isArray(schema))
      throw new Error("not an object");
    return schema as Record<string, unknown>;
  } catch {
    throw new LlmuxError("usage", `The schema file ${path} is not a JSON Schema object`, {
      hint: 'Give a JSON file such as {"type":"object",...}',
    });
  }
}

/** The documented shape of `llmux ask --json`. */
function toJson(result: CallResult) {
  return {
    text: result.text,
    model: result.model,
    provider: result.provider,
    usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
    costUsd: result.costUsd,
    latencyMs: result.latencyMs,
  };
}
