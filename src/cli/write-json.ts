import type { CliIo } from "./command.ts";

/**
 * Every `--json` output: JSON Lines, one line per result (a list prints one line per item), so
 * `jq`, `grep` and line-by-line readers work on any command. Pretty-printed only when asked
 * (`--pretty`) or when a person reads it in a terminal.
 */
export function writeJson(io: CliIo, values: readonly unknown[]): void {
  const pretty = io.prettyJson;
  io.stdout.write(values.map((value) => `${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`).join(""));
}
