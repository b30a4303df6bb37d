import { LlmuxError } from "../core/errors.ts";
import { nextTokenProbabilities } from "../local/next-token-probabilities.ts";
import type { Command } from "./command.ts";
import { formatTable } from "./format-table.ts";
import { parseNumberOption } from "./parse-number-option.ts";
import { resolveLocalModelFile } from "./resolve-local-model-file.ts";
import { writeJson } from "./write-json.ts";

export const nextCommand: Command = {
  usage: `TEXT --model local:... [options]

  -m, --model REF   a local model (local:llama3.2:1b, local:./model.gguf)
      --top N       how many tokens (default 10)
      --json        one JSON array of {id, piece, probability}

Probabilities come from the model's logits (a softmax over the whole vocabulary), before any sampling.`,
  options: {
    model: { type: "string", short: "m" },
    top: { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values, positionals, io, config }) {
    const text = positionals.join(" ");
    if (!text)
      throw new LlmuxError("usage", "Give the text to continue", {
        hint: 'Example: llmux next "Once upon a" --model local:llama3.2:1b',
      });
    const top = parseNumberOption("top", values.top, { min: 1, max: 1000, integer: true }) ?? 10;
    const path = await resolveLocalModelFile(values.model as string | undefined, config(), "next");
    const tokens = await nextTokenProbabilities(path, text, { top });
    if (values.json) {
      writeJson(io, tokens);
      return 0;
    }
    io.stdout.write(
      formatTable(
        ["TOKEN", "ID", "PROBABILITY"],
        tokens.map((t) => [JSON.stringify(t.piece), String(t.id), `${(t.probability * 100).toFixed(2)}%`]),
      ),
    );
    return 0;
  },
};
