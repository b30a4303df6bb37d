import { type ChildProcess, spawn } from "node:child_process";
import { CLI } from "./run-cli.ts";

/**
 * Starts `llmux serve --port 0` as the built binary in `home` with only `env` (and PATH), and
 * resolves with the URL it prints. The child goes into `children`, for the test file to kill
 * what is still running after its tests.
 */
export async function serveBinary(
  children: ChildProcess[],
  env: Record<string, string>,
  home: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string; stderr(): string }> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", LLMUX_HOME: home, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let stdout = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const line = /^(http:\/\/\S+)\n/.exec(stdout);
      if (line) resolve(line[1]!);
    });
    child.on("exit", (code) => reject(new Error(`llmux serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}
