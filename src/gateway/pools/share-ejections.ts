import { createClient } from "@redis/client";
import { redactSecrets } from "../../core/redact-secrets.ts";
import { redactDatabaseUrl } from "../../store/redact-database-url.ts";
import type { DeploymentHealth } from "./deployment-health.ts";

/** Ejections shared by replicas through Redis. */
export interface EjectionSharing {
  /** Tells the other replicas of an ejection this one decided, or of its lift (not awaited). */
  publish(pool: string, deployment: DeploymentHealth): void;
  close(): Promise<void>;
}

const REFRESH_MS = 500;

/**
 * Ejections shared through Redis: one key per ejected deployment, its value the end of the
 * cool-down and its expiry the same. Every REFRESH_MS a replica reads all its pools' keys in one
 * MGET and adopts the ejections it did not know of, or drops an adopted one another replica
 * lifted. Nothing of it is on a request's path: publishing is not awaited, and while Redis is
 * unreachable each replica keeps its own view (one log line when lost, one when back).
 */
export function shareEjections(
  url: string,
  pools: ReadonlyMap<string, readonly DeploymentHealth[]>,
  log: (line: string) => void,
): EjectionSharing {
  const shown = redactDatabaseUrl(url);
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 100),
    },
  });
  let lost = false;
  client.on("error", (error: Error) => {
    if (lost) return;
    lost = true;
    log(
      redactSecrets(
        `pools: lost Redis at ${shown} (${error.message}): each replica ejects on its own until it is back`,
      ),
    );
  });
  client.on("ready", () => {
    if (lost) log(`pools: Redis at ${shown} is back: ejections are shared again`);
    lost = false;
  });
  void client.connect().catch(() => undefined);

  const keyOf = (pool: string, model: string) => `llmux:pool-ejection:${encodeURIComponent(pool)}:${model}`;
  const watched: { key: string; deployment: DeploymentHealth }[] = [];
  for (const [pool, deployments] of pools) {
    for (const deployment of deployments) watched.push({ key: keyOf(pool, deployment.model), deployment });
  }
  let refreshing = false;
  const refresh = async () => {
    if (refreshing || !client.isReady || watched.length === 0) return;
    refreshing = true;
    try {
      const values = await client.mGet(watched.map((w) => w.key));
      const now = Date.now();
      values.forEach((value, i) => {
        const { deployment } = watched[i]!;
        const until = value === null ? 0 : Number(value);
        if (until > now && until > deployment.ejectedUntil) {
          deployment.ejectedUntil = until;
          deployment.adopted = true;
        } else if (until === 0 && deployment.adopted && deployment.isEjected(now)) {
          deployment.ejectedUntil = 0;
          deployment.adopted = false;
        }
      });
    } catch {
      // Unreachable for now: the error listener said so once.
    } finally {
      refreshing = false;
    }
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS).unref();

  return {
    publish(pool, deployment) {
      if (!client.isReady) return;
      const key = keyOf(pool, deployment.model);
      const left = deployment.ejectedUntil - Date.now();
      const sent =
        left > 0
          ? client.set(key, String(deployment.ejectedUntil), { expiration: { type: "PX", value: left } })
          : client.del(key);
      sent.catch(() => undefined);
    },
    async close() {
      clearInterval(timer);
      client.destroy();
    },
  };
}
