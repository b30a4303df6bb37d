import type { LlmuxConfig } from "../../core/load-config.ts";
import { redisUrl } from "../server/redis-url.ts";
import { createMemoryCache } from "./create-memory-cache.ts";
import { createRedisCache } from "./create-redis-cache.ts";
import type { ResponseCache } from "./response-cache.ts";

/** The gateway's response cache: in Redis when the replicas share one (redis.url), else in memory. */
export function openResponseCache(config: LlmuxConfig, log: (line: string) => void): ResponseCache {
  const { ttlSeconds, maxBytes } = config.file.gateway.cache;
  const ttlMs = Math.ceil(ttlSeconds * 1000);
  const url = redisUrl(config);
  return url ? createRedisCache({ url, ttlMs, log }) : createMemoryCache({ ttlMs, maxBytes });
}
