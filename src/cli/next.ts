import { LlmuxError } from "../core/errors.ts";
import { nextTokenProbabilities } from "../local/next-token-probabilities.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { formatTable } from "./format-table.ts";
import { modelOption } from "./model-call-options.ts";
import { resolveLocalModelFile } from "./resolve-local-model-file.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  model: { ...modelOption, description: "a local model (local:llama3.2:1b, local:./model.gguf)" },
  top: {
    type: "number",
    placeholder: "N",
    default: 10,
    min: 1,
    max: 1000,
    integer: true,
    description: "how many tokens",
  },
  json: { type: "boolean", description: "one JSON array of {id, piece, probability}" },
});

export const nextCommand: Command<typeof options> = {
  usage: `TEXT --model local:... [options]

${renderOptionsHelp(options)}

Probabilities come from the model's logits (a softmax over the whole vocabulary), before any sampling.`,
  options,
  async run({ values, positionals, io, config }) {
    const text = positionals.join(" ");
    if (!text)
      throw new LlmuxError("usage", "Give the text to continue", {
        hint: 'Example: llmux next "Once upon a" --model local:llama3.2:1b',
      });
    const path = await resolveLocalModelFile(values.model, config(), "next");
    const tokens = await nextTokenProbabilities(path, text, { top: values.top });
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
