import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { toTokenUsage } from "../v1/to-token-usage.ts";
import type { AnthropicUsage } from "./anthropic-usage-schema.ts";
import { convertAnthropicUsage } from "./convert-anthropic-usage.ts";

/**
 * The usage of a relayed Anthropic answer, found by byte search and only its usage objects
 * parsed: a stream's from message_start in `head`, updated by the last message_delta in `tail`
 * (undefined when the stream was cut before it, so the cut-short estimate applies); a whole
 * message's from its last `usage` key (`head` and `tail` are then the same body).
 */
export function scanAnthropicUsage(head: Buffer, tail: Buffer, stream: boolean): TokenUsage | undefined {
  if (!stream) {
    const usage = usageAt(tail, tail.lastIndexOf('"usage"'));
    return usage && toTokenUsage(convertAnthropicUsage(usage));
  }
  const delta = usageAt(tail, tail.lastIndexOf('"message_delta"'));
  if (!delta) return undefined;
  const usage: AnthropicUsage = { ...usageAt(head, head.indexOf('"message_start"')) };
  for (const [field, count] of Object.entries(delta)) {
    // Counts message_delta does not repeat (null) keep message_start's.
    if (typeof count === "number") usage[field as keyof AnthropicUsage] = count;
  }
  return toTokenUsage(convertAnthropicUsage(usage));
}

// The object of the first `"usage"` key from `from` on, parsed alone (its braces counted).
function usageAt(body: Buffer, from: number): AnthropicUsage | undefined {
  if (from < 0) return undefined;
  const key = body.indexOf('"usage"', from);
  const open = key < 0 ? -1 : body.indexOf(0x7b, key);
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    if (body[i] === 0x7b) depth++;
    else if (body[i] === 0x7d && --depth === 0) {
      try {
        return JSON.parse(body.subarray(open, i + 1).toString("utf8")) as AnthropicUsage;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
