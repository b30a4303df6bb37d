import type { ParseArgsConfig } from "node:util";
import type { LlmuxConfig } from "../core/load-config.ts";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Streams and facts about the terminal a command runs in; tests run the real binary instead. */
export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Colours and Markdown rendering: stdout is a terminal and NO_COLOR is unset. */
  color: boolean;
  /** `--json` output indented: `--pretty`, or stdout is a terminal. */
  prettyJson: boolean;
}

export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  io: CliIo;
  /** Loaded on first use, so `--help` works even with a broken config file. */
  config(): LlmuxConfig;
}

export interface Command {
  /** The text after "Usage: llmux <name>" in --help. */
  usage: string;
  options: OptionSpec;
  /** Resolves to the exit code (0 when omitted). */
  run(context: CommandContext): Promise<number | undefined>;
}
