const EMPTY_CHOICES = Buffer.from('"choices":[]');
const USAGE_OBJECT = Buffer.from('"usage":{');
const DATA = Buffer.from("data:");
const EVENT_END = Buffer.from("\n\n");

/**
 * `chunk` without the usage-only SSE event (empty `choices`, a `usage` object) that the gateway
 * asked the upstream for (stream_options.include_usage) when the client did not; undefined when
 * the chunk holds no such event whole. Only the chunk holding it is copied; an event split across
 * chunks is left in (the client then sees a usage chunk it did not ask for, which OpenAI clients
 * accept). Other empty-choices events (Azure's prompt_filter_results) are kept.
 */
export function removeUsageEvent(chunk: Buffer): Buffer | undefined {
  for (let at = chunk.indexOf(EMPTY_CHOICES); at >= 0; at = chunk.indexOf(EMPTY_CHOICES, at + 1)) {
    const start = chunk.lastIndexOf(DATA, at);
    const end = chunk.indexOf(EVENT_END, at);
    if (start < 0 || end < 0) return undefined;
    const usage = chunk.indexOf(USAGE_OBJECT, start);
    if (usage >= 0 && usage < end) {
      return Buffer.concat([chunk.subarray(0, start), chunk.subarray(end + EVENT_END.length)]);
    }
  }
  return undefined;
}
