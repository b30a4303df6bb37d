import { createClient, RESP_TYPES } from "@redis/client";
import { redactSecrets } from "../../core/redact-secrets.ts";
import { redactDatabaseUrl } from "../../store/redact-database-url.ts";
import { createCommandWatchdog } from "../server/create-command-watchdog.ts";
import { decodeCachedAnswer } from "./decode-cached-answer.ts";
import { encodeCachedAnswer } from "./encode-cached-answer.ts";
import type { ResponseCache } from "./response-cache.ts";

// A cache that answers late is worse than none: past this a look-up is a miss.
const COMMAND_TIMEOUT_MS = 500;
const WATCHDOG_INTERVAL_MS = 100;

/**
 * Answers in Redis, shared by every replica: one value per answer (SET with PX, so Redis drops it
 * after the TTL). Its own connection, opened on first use. A cache never fails a request: while
 * Redis is unreachable or slow, look-ups are misses and answers are not kept, with one log line
 * when it is lost and one when it is back.
 */
export function createRedisCache(options: {
  url: string;
  ttlMs: number;
  log: (line: string) => void;
}): ResponseCache {
  const shown = redactDatabaseUrl(options.url);
  const client = createClient({
    url: options.url,
    // A look-up must not wait for a reconnection.
    disableOfflineQueue: true,
    // 0: no per-command timer; the watchdog below keeps the look-ups' deadline.
    commandOptions: { timeout: 0, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 100),
    },
  });
  let opened: Promise<unknown> | undefined;
  let lost = false;
  const loss = (reason: string) => {
    if (lost) return;
    lost = true;
    options.log(
      redactSecrets(
        `lost Redis at ${shown} for the response cache (${reason}): every request is a miss until it is back`,
      ),
    );
  };
  client.on("error", (error: Error) => loss(error.message || error.name));
  client.on("ready", () => {
    if (lost) options.log(`Redis at ${shown} is back: the response cache is shared again`);
    lost = false;
  });
  // The first look-up waits for the connection (a bounded while); later ones find it up or not.
  const ready = async () => {
    opened ??= Promise.race([
      client.connect().catch((error: Error) => loss(error.message)),
      new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT_MS).unref()),
    ]);
    await opened;
    return client.isReady;
  };
  const name = (key: string) => `llmux:cache:${key}`;
  const watchdog = createCommandWatchdog(COMMAND_TIMEOUT_MS, WATCHDOG_INTERVAL_MS);
  // Look-ups Redis has not answered within the deadline (it is frozen or overloaded): while any
  // is, the cache is passed over, so a stalled Redis costs one request 500 ms, not every one.
  let late = 0;
  return {
    async get(key) {
      if (late > 0 || !(await ready())) return undefined;
      const reply = client.get(name(key)) as Promise<Buffer | null>;
      try {
        const value = await watchdog.watch(reply);
        return value === null ? undefined : decodeCachedAnswer(value);
      } catch {
        // Passed over until the reply comes (at once when Redis failed it, not at all when frozen).
        late++;
        reply.then(
          () => late--,
          () => late--,
        );
        return undefined;
      }
    },
    set(key, answer) {
      void ready().then((up) => {
        if (!up || late > 0) return;
        client.set(name(key), encodeCachedAnswer(answer), { PX: options.ttlMs }).catch(() => undefined);
      });
    },
    bytes: () => undefined,
    async close() {
      watchdog.close();
      if (opened) client.destroy();
    },
  };
}
