import type { LlmuxConfig } from "../core/load-config.ts";
import { defineOptions, type OptionDeclarations, type OptionValues } from "./define-options.ts";

/** The options every command takes; in this order in the help. */
export const globalOptions = defineOptions({
  config: {
    type: "string",
    placeholder: "PATH",
    description: "config file (default: $LLMUX_HOME/config.json or $XDG_CONFIG_HOME/llmux/config.json)",
  },
  "no-color": { type: "boolean", description: "plain output (also NO_COLOR=1)" },
  pretty: {
    type: "boolean",
    description: "indent --json output (it is JSON Lines, one line per result, unless in a terminal)",
  },
  debug: { type: "boolean", description: "show stack traces" },
  help: { type: "boolean", short: "h", description: "this help" },
});

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

interface CommandContext<O extends OptionDeclarations = OptionDeclarations> {
  values: OptionValues<O> & OptionValues<typeof globalOptions>;
  positionals: string[];
  io: CliIo;
  /** Loaded on first use, so `--help` works even with a broken config file. */
  config(): LlmuxConfig;
}

export interface Command<O extends OptionDeclarations = OptionDeclarations> {
  /** The text after "Usage: llmux <name>" in --help; its options part is renderOptionsHelp(options). */
  usage: string;
  options: O;
  /** Resolves to the exit code (0 when omitted). */
  run(context: CommandContext<O>): Promise<number | undefined>;
}
