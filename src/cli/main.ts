#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isLlmuxError, LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { redactSecrets } from "../core/redact-secrets.ts";
import { type CliIo, type Command, globalOptions } from "./command.ts";
import { commands } from "./commands.ts";
import { defineOptions, parseOptionValues, renderOptionsHelp, toParseArgsOptions } from "./define-options.ts";
import { describeError } from "./describe-error.ts";

/** Only in `llmux --help`: `--version` is taken before any command, never parsed as an option. */
const MAIN_OPTIONS = defineOptions({
  ...globalOptions,
  version: { type: "boolean", description: "print the version" },
});

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
${renderOptionsHelp(MAIN_OPTIONS)}

Run \`llmux <command> --help\` for a command's options. Exit codes are listed in the README.`;
}

function commandHelp(name: string, command: Command): string {
  return `Usage: llmux ${name} ${command.usage}\n\nGlobal options:\n${renderOptionsHelp(globalOptions)}`;
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
    const parsed = parseCommandArgs(name, command, rest);
    const globals = parseOptionValues(globalOptions, parsed.values, name);
    if (globals.help) {
      io.stdout.write(`${commandHelp(name, command)}\n`);
      return 0;
    }
    // After --help: `llmux ask --help --temperature hot` still shows the help.
    const values = { ...parseOptionValues(command.options, parsed.values, name), ...globals };
    // Loaded here, not at the top: zod alone would make `llmux --help` half again as slow.
    const { loadConfig } = await import("../core/load-config.ts");
    let config: LlmuxConfig | undefined;
    const code = await command.run({
      values,
      positionals: parsed.positionals,
      io,
      config: () => {
        config ??= loadConfig({ configPath: globals.config });
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
      options: toParseArgsOptions({ ...globalOptions, ...command.options }),
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
  io.stderr.write(`llmux: ${describeError(error)}\n`);
  if (debug && error instanceof Error) {
    const cause = error.cause
      ? `${redactSecrets(String((error.cause as Error).stack ?? error.cause))}\n`
      : "";
    io.stderr.write(`${redactSecrets(String(error.stack))}\n${cause}`);
  }
  return isLlmuxError(error) ? error.exitCode : 1;
}

// Warnings come back in each call's result; the AI SDK's own console lines would only add noise.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

// Output piped into `head` closes early: that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

process.exitCode = await main(process.argv.slice(2));
