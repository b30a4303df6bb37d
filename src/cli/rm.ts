import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import { removeLocalModel } from "../local/remove-local-model.ts";
import type { Command } from "./command.ts";
import { defineOptions } from "./define-options.ts";

export const rmCommand: Command = {
  usage: "NAME\n\n`llmux models --local` lists the installed models.",
  options: defineOptions({}),
  async run({ positionals, io, config }) {
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) {
      throw new LlmuxError("usage", "llmux rm takes exactly one model name", {
        hint: "See `llmux models --local`",
      });
    }
    const { paths, env } = config();
    const removed = await removeLocalModel(name, { modelsDir: paths.models, env: env as NodeJS.ProcessEnv });
    io.stdout.write(`Removed ${removed.name} (${formatBytes(removed.freedBytes)} freed)\n`);
    return 0;
  },
};
