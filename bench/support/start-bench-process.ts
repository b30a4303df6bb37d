import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

// What the benchmark started: stopped however it ends (a failed check throws; end with process.exit).
const started: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of started) child.kill("SIGTERM");
});

/**
 * Starts `args` (a mock upstream, `llmux serve`...) and resolves once it has printed its first
 * line (its URL), with that line, its pid and how to stop it (SIGTERM, resolved once it has
 * exited); rejects when it exits first.
 */
export async function startBenchProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ pid: number; line: string; stop(): Promise<void> }> {
  const child = spawn(args[0]!, args.slice(1), { env, stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  const ready = (await Promise.race([
    once(child.stdout!, "data"),
    once(child, "exit").then(() => undefined),
  ])) as [Buffer] | undefined;
  if (!ready) throw new Error(`${args.join(" ")} exited before it was ready`);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  return { pid: child.pid!, line: ready[0].toString().trim().split("\n")[0]!, stop };
}
