import type { LlmuxConfig } from "../../core/load-config.ts";

/** The Redis URL the gateway's limits are shared through (LLMUX_REDIS_URL, then redis.url), if any. */
export function redisUrl(config: LlmuxConfig): string | undefined {
  return config.env.LLMUX_REDIS_URL || config.file.redis.url || undefined;
}
