import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import { createProgressReporter } from "../local/create-progress-reporter.ts";
import { pullModel } from "../local/pull-model.ts";
import type { CliIo, Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";

const options = defineOptions({
  name: {
    type: "string",
    placeholder: "NAME",
    description: "install under this name (use it as local:NAME)",
  },
});

export const pullCommand: Command<typeof options> = {
  usage: `NAME [options]

  NAME is one of
    a catalog name      llama3.2:1b, llama3.2:3b, qwen2.5:0.5b, qwen2.5:1.5b, qwen2.5:3b, gemma3:1b, phi4-mini, deepseek-r1:1.5b
                        (also as \`llmux models\` prints it: local:llama3.2:1b)
    hf:OWNER/REPO/FILE.gguf   a file on Hugging Face (HF_ENDPOINT overrides the hub's address)
    https://...         any URL of a .gguf file
    ./path/model.gguf   a file on this machine, imported (copied) into the store

${renderOptionsHelp(options)}

An interrupted download resumes where it stopped; the file's sha256 is checked against the hub's.`,
  options,
  async run({ values, positionals, io, config }) {
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) {
      throw new LlmuxError("usage", "llmux pull takes exactly one model name", {
        hint: "Example: llmux pull llama3.2:1b",
      });
    }
    const pulled = await pullWithProgress(name, io, config().paths.models, config().env, values.name);
    io.stdout.write(
      pulled.alreadyInstalled
        ? `${pulled.name} is already installed (${pulled.path})\n`
        : `Installed ${pulled.name} (${formatBytes(pulled.sizeBytes)}): use it as --model local:${pulled.name}\n`,
    );
    return 0;
  },
};

/** Pulls with a progress bar on stderr; Ctrl-C stops it and keeps the partial file for a resume. */
export async function pullWithProgress(
  ref: string,
  io: CliIo,
  modelsDir: string,
  env: Readonly<Record<string, string | undefined>>,
  name?: string,
) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  const progress = createProgressReporter(io.stderr);
  try {
    return await pullModel(ref, {
      modelsDir,
      env: env as NodeJS.ProcessEnv,
      name,
      signal: controller.signal,
      onProgress: (p) => progress.report(p),
    });
  } finally {
    progress.finish();
    process.off("SIGINT", stop);
  }
}
