import { type ChildProcess, spawn } from "node:child_process";
import { closedLoopbackUrl } from "./closed-loopback-url.ts";
import { makeTempDir } from "./make-temp-dir.ts";

export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server (its data is not kept: limits start over) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, commands get no answer until resume(). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const running: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * A real Redis server (Debian's redis-server) on a free loopback port, nothing saved to disk, in a
 * fresh temp dir. Killed when the test process ends.
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = makeTempDir("llmux-redis-");
  const port = Number(new URL(await closedLoopbackUrl()).port);
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    running.push(started);
    child = started;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      started.stdout!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Ready to accept connections")) resolve();
      });
      started.once("error", (error) =>
        reject(
          new Error(
            `redis-server did not start (${error.message}): apt-get install redis-server (.ci/run does)`,
          ),
        ),
      );
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${log.slice(-500)}`)));
    });
  };
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stop();
      await start();
    },
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    stop,
  };
}
