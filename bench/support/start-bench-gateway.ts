import { CLI } from "../../test/support/run-cli.ts";
import { startBenchProcess } from "./start-bench-process.ts";

/**
 * `llmux serve` on a free port, pinned to cpu1 (the benchmark's load runs on cpu0), with `home` as
 * its LLMUX_HOME and only `env` besides PATH; `cli` picks another build (default this one's).
 */
export function startBenchGateway(
  home: string,
  env: Record<string, string> = {},
  cli = CLI,
): ReturnType<typeof startBenchProcess> {
  return startBenchProcess(["taskset", "-c", "1", process.execPath, cli, "serve", "--port", "0"], {
    PATH: process.env.PATH ?? "",
    LLMUX_HOME: home,
    ...env,
  });
}
