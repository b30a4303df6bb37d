import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { makeTempDir } from "./make-temp-dir.ts";

export const CLI = resolve("dist/cli/main.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh LLMUX_HOME; pass it to every run of one test so they share config and usage log. */
export function makeHome(): string {
  return makeTempDir("llmux-cli-");
}

/**
 * Runs the built `llmux` binary as a user would, with only the given environment (plus PATH and
 * a fresh LLMUX_HOME unless one is given): no developer keys or config leak in.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; home?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", LLMUX_HOME: options.home ?? makeHome(), ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(options.stdin ?? "");
  return collect(child, options.timeoutMs);
}

/** Waits for a child to exit, with what it printed; its stdin is the caller's to write and end. */
export function collect(child: ReturnType<typeof spawn>, timeoutMs = 60_000): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((done) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** `--json` output: JSON Lines, one value per line; each line must parse on its own. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the fields they assert on
export function parseJsonLines<T = Record<string, any>>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}
