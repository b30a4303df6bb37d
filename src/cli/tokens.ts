import { LlmuxError } from "../core/errors.ts";
import { plural } from "../core/plural.ts";
import { countTokens } from "../providers/count-tokens.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { modelOption } from "./model-call-options.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  model: {
    ...modelOption,
    description:
      "whose tokenizer (default: the default model). Local models use their own\ntokenizer, OpenAI's models theirs (gpt-tokenizer) wherever they are served;\nother models' counts are estimates",
  },
  json: { type: "boolean", description: "one JSON object: {model, tokenizer, exact, count, ids, pieces}" },
});

export const tokensCommand: Command<typeof options> = {
  usage: `TEXT [options]

${renderOptionsHelp(options)}`,
  options,
  async run({ values, positionals, io, config }) {
    const text = positionals.join(" ");
    if (!text)
      throw new LlmuxError("usage", "Give the text to tokenize", {
        hint: 'Example: llmux tokens "Hello world" --model openai:gpt-4o',
      });
    const registry = createProviderRegistry(config());
    const resolved = registry.resolve(registry.defaultModel(values.model));
    const result = await countTokens(resolved, text, config());
    if (values.json) {
      writeJson(io, [{ model: resolved.reference, ...result }]);
      return 0;
    }
    if (result.pieces) {
      io.stdout.write(
        `${result.pieces.map((piece, i) => `${result.ids?.[i]}\t${JSON.stringify(piece)}`).join("\n")}\n`,
      );
    }
    io.stdout.write(
      `${result.count} ${plural(result.count, "token")}${result.exact ? "" : " (estimate)"} · ${result.tokenizer}\n`,
    );
    return 0;
  },
};
