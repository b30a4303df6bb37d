import { rmSync } from "node:fs";
import { after, test } from "node:test";
import { type LlmuxConfig, loadConfig } from "../../src/core/load-config.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { makeTempDir } from "./make-temp-dir.ts";
import { type PostgresServer, startPostgres } from "./start-postgres.ts";

export interface BackendContext {
  backend: "sqlite" | "postgres";
  /** The store, opened on the test's own home (SQLite) or fresh database (PostgreSQL). */
  store: Store;
  /** LLMUX_HOME in a temp dir, and LLMUX_DATABASE_URL for PostgreSQL. */
  config: LlmuxConfig;
  /** What the stores opened here logged. */
  logs: string[];
  /** Opens another store on the same data (closed after the test). */
  open(options?: Parameters<typeof openStore>[1]): Promise<Store>;
  /** The PostgreSQL server (for restart), when backend is "postgres". */
  server: PostgresServer | undefined;
  /** Reports a figure with the test's result. */
  diagnostic(message: string): void;
}

// One PostgreSQL server per test file, started on first use; each test gets a database of its own.
let server: Promise<PostgresServer> | undefined;
after(async () => {
  if (server) await (await server).stop();
});

/**
 * Registers `name` twice, "(sqlite)" and "(postgres)": one test body, both backends. `backends`
 * narrows it for what only one has (a server to restart).
 */
export function testEachBackend(
  name: string,
  body: (context: BackendContext) => Promise<void>,
  backends: readonly BackendContext["backend"][] = ["sqlite", "postgres"],
): void {
  for (const backend of backends) {
    test(`${name} (${backend})`, async (t) => {
      const home = makeTempDir("llmux-store-");
      const env: Record<string, string> = { LLMUX_HOME: home };
      let pg: PostgresServer | undefined;
      if (backend === "postgres") {
        server ??= startPostgres();
        pg = await server;
        env.LLMUX_DATABASE_URL = await pg.createDatabase();
      }
      const config = loadConfig({ cwd: home, env });
      const logs: string[] = [];
      const opened: Store[] = [];
      const open = async (options: Parameters<typeof openStore>[1] = {}) => {
        const store = await openStore(config, { log: (line) => logs.push(line), ...options });
        opened.push(store);
        return store;
      };
      try {
        await body({
          backend,
          store: await open(),
          config,
          logs,
          open,
          server: pg,
          diagnostic: (message) => t.diagnostic(message),
        });
      } finally {
        for (const store of opened) await store.close();
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
}
