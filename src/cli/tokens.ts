import { LlmuxError } from "../core/errors.ts";
import { plural } from "../core/plural.ts";
import { countTokens } from "../providers/count-tokens.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { Command } from "./command.ts";
import { writeJson } from "./write-json.ts";

export const tokensCommand: Command = {
  usage: `TEXT [options]

  -m, --model REF   whose tokenizer (default: the default model). Local models use their own
                    tokenizer, OpenAI models theirs (gpt-tokenizer); other providers' counts are estimates
      --json        one JSON object: {model, tokenizer, exact, count, ids, pieces}`,
  options: {
    model: { type: "string", short: "m" },
    json: { type: "boolean" },
  },
  async run({ values, positionals, io, config }) {
    const text = positionals.join(" ");
    if (!text)
      throw new LlmuxError("usage", "Give the text to tokenize", {
        hint: 'Example: llmux tokens "Hello world" --model openai:gpt-4o',
      });
    const registry = createProviderRegistry(config());
    const resolved = registry.resolve(registry.defaultModel(values.model as string | undefined));
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
