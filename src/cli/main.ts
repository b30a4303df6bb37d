#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isLlmuxError, LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { redactSecrets } from "../core/redact-secrets.ts";
import type { CliIo, Command, OptionSpec } from "./command.ts";
import { commands } from "./commands.ts";

const GLOBAL_OPTIONS: OptionSpec = {
  config: { type: "string" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  "no-color": { type: "boolean" },
  pretty: { type: "boolean" },
};

const GLOBAL_HELP = `  --config PATH   config file (default: $LLMUX_HOME/config.json or $XDG_CONFIG_HOME/llmux/config.json)
  --no-color      plain output (also NO_COLOR=1)
  --pretty        indent --json output (it is JSON Lines, one line per result, unless in a terminal)
  --debug         show stack traces
  -h, --help      this help`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `llmux ${version()}: one interface to every LLM: cloud APIs, managed clouds, local open-weight models.

Usage: llmux <command> [options]

Commands:
${list}

Options:
${GLOBAL_HELP}
  --version       print the version

Run \`llmux <command> --help\` for a command's options. Exit codes are listed in the README.`;
}

function commandHelp(name: string, command: Command): string {
  return `Usage: llmux ${name} ${command.usage}\n\nGlobal options:\n${GLOBAL_HELP}`;
}

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    // A getter: making process.stdin opens it, which --help and --version have no use for.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !argv.includes("--no-color"),
    prettyJson: Boolean(process.stdout.isTTY) || argv.includes("--pretty"),
  };
  const debug = argv.includes("--debug");
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout.write(`${mainHelp()}\n`);
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry) {
      throw new LlmuxError("usage", `Unknown command "${name}"`, {
        hint: "Run `llmux --help` to see the commands",
      });
    }
    const command = await entry.load();
    const { values, positionals } = parseCommandArgs(name, command, rest);
    if (values.help) {
      io.stdout.write(`${commandHelp(name, command)}\n`);
      return 0;
    }
    // Loaded here, not at the top: zod alone would make `llmux --help` half again as slow.
    const { loadConfig } = await import("../core/load-config.ts");
    let config: LlmuxConfig | undefined;
    const code = await command.run({
      values,
      positionals,
      io,
      config: () => {
        config ??= loadConfig({ configPath: values.config as string | undefined });
        return config;
      },
    });
    return code ?? 0;
  } catch (error) {
    return report(error, io, debug);
  }
}

function parseCommandArgs(name: string, command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new LlmuxError("usage", (error as Error).message.split("\n")[0]!.replace(/\.$/, ""), {
      hint: `Run \`llmux ${name} --help\``,
    });
  }
}

/** One line on stderr, the error's exit code; the stack only with --debug. */
function report(error: unknown, io: CliIo, debug: boolean): number {
  if (isLlmuxError(error)) {
    io.stderr.write(`llmux: ${redactSecrets(error.userMessage)}\n`);
    if (debug)
      io.stderr.write(
        `${redactSecrets(String(error.stack))}\n${error.cause ? redactSecrets(String((error.cause as Error).stack ?? error.cause)) : ""}\n`,
      );
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `llmux: unexpected error: ${redactSecrets(message)}. Run again with --debug and report it\n`,
  );
  if (debug && error instanceof Error) io.stderr.write(`${redactSecrets(String(error.stack))}\n`);
  return 1;
}

// Warnings come back in each call's result; the AI SDK's own console lines would only add noise.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

// Output piped into `head` closes early: that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

process.exitCode = await main(process.argv.slice(2));
