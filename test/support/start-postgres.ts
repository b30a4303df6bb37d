import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { closedLoopbackUrl } from "./closed-loopback-url.ts";
import { makeTempDir } from "./make-temp-dir.ts";

export interface PostgresServer {
  /** `postgres://llmux@127.0.0.1:PORT/llmux`: the superuser's database on loopback. */
  readonly url: string;
  /** A fresh, empty database of this server, for one test. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut) and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const running: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * A real PostgreSQL server (Debian's package) in a fresh temp dir on a free loopback port, with
 * trust authentication for its superuser `llmux`. initdb and postgres refuse to run as root, so
 * as root they run as the `postgres` user the package creates. Killed when the test process ends.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = makeTempDir("llmux-pg-");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, uid("postgres"), gid("postgres"));
  const data = join(dir, "data");
  const run = (command: string, args: string[]): [string, string[]] =>
    // setpriv execs the program itself (runuser would stay as its parent and keep signals from it).
    asRoot
      ? ["setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", join(bin, command), ...args]]
      : [join(bin, command), args];
  execFileSync(...run("initdb", ["-D", data, "--auth=trust", "-U", "llmux", "--no-sync", "-E", "UTF8"]), {
    stdio: "ignore",
  });
  const port = Number(new URL(await closedLoopbackUrl()).port);
  const url = `postgres://llmux@127.0.0.1:${port}/llmux`;
  let child: ChildProcess | undefined;
  let databases = 0;

  const start = async () => {
    const [command, args] = run("postgres", [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
    ]);
    const started = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    running.push(started);
    child = started;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      started.stderr!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("ready to accept connections")) resolve();
      });
      started.once("exit", (code) => reject(new Error(`postgres exited (${code}): ${log.slice(-500)}`)));
    });
  };
  const stopServer = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGINT"); // fast shutdown
    await exited;
  };
  const psql = async (sql: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "llmux", database: "postgres" });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  await start();
  // The database named like the superuser, which clients connect to by default.
  await psql("CREATE DATABASE llmux");
  return {
    url,
    async createDatabase() {
      const name = `test_${++databases}`;
      await psql(`CREATE DATABASE ${name}`);
      return `postgres://llmux@127.0.0.1:${port}/${name}`;
    },
    async restart() {
      await stopServer();
      await start();
    },
    stop: stopServer,
  };
}

// Debian puts the server's programs in /usr/lib/postgresql/<version>/bin, off the PATH.
function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "postgres"))) return bin;
  }
  throw new Error("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync("id", ["-g", user]).toString().trim());
}
