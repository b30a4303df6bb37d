import { LlmuxError } from "../../core/errors.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { redactDatabaseUrl } from "../../store/redact-database-url.ts";
import type { Store } from "../../store/store.ts";
import { createLocalLimits } from "./create-local-limits.ts";
import { createRedisLimits } from "./create-redis-limits.ts";
import type { Limits } from "./limits.ts";
import { redisUrl } from "./redis-url.ts";

/**
 * The gateway's limits: shared in Redis when LLMUX_REDIS_URL (or redis.url) is set, else counted
 * in this process; spend starts from the store's usage log either way.
 */
export async function openLimits(
  config: LlmuxConfig,
  store: Store,
  log: (line: string) => void,
): Promise<Limits> {
  const url = redisUrl(config);
  if (!url) return createLocalLimits(await store.keys.spend());
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {}
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new LlmuxError("config", `The Redis URL ${redactDatabaseUrl(url)} is not a redis:// URL`, {
      hint: "Give LLMUX_REDIS_URL (or redis.url) as redis://[:PASSWORD@]HOST:6379, or rediss:// for TLS",
    });
  }
  return createRedisLimits({
    url,
    failOpen: config.env.LLMUX_REDIS_FAIL_OPEN === "1" || config.file.redis.failOpen,
    local: createLocalLimits(await store.keys.spend()),
    spend: () => store.keys.spend(),
    log,
  });
}
