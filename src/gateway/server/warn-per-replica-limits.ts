import type { Store } from "../../store/store.ts";

// Replicas started together may not see each other at once: one more look after this.
const LOOK_AGAIN_MS = 5000;

/**
 * Without Redis, each replica counts rpm and budgets on its own: says so (one line) when another
 * gateway is connected to the same PostgreSQL database, as pg_stat_activity shows by the
 * application name each gateway's connections carry (`applicationName`, unique per gateway).
 * Looks at start and once more shortly after; returns a function that stops looking.
 */
export function warnPerReplicaLimits(
  store: Store,
  applicationName: string,
  log: (line: string) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const look = async () => {
    const [row] = await store.sql.all<{ others: number }>(
      `SELECT count(DISTINCT application_name) AS others FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'llmux-gateway %' AND application_name <> ?`,
      [applicationName],
    );
    if ((row?.others ?? 0) === 0) return false;
    log(
      "another llmux gateway uses this PostgreSQL database and LLMUX_REDIS_URL is not set: rpm limits and budgets are counted per replica (each allows a key its full rpm and budget); set LLMUX_REDIS_URL to share them",
    );
    return true;
  };
  // A failed look is not worth a line of its own: the store says when it is unreachable.
  look().then(
    (warned) => {
      if (warned || stopped) return;
      timer = setTimeout(() => void look().catch(() => undefined), LOOK_AGAIN_MS);
      timer.unref();
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
