import { LlmuxError } from "../../core/errors.ts";
import { ByteTail } from "../v1/byte-tail.ts";
import { headerValue, type Relay, type UpstreamHeaders } from "../v1/relay-upstream.ts";
import { scanFinishReason } from "../v1/scan-finish-reason.ts";
import { scrubErrorEvent } from "../v1/scrub-error-event.ts";
import { toErrorInStream } from "../v1/to-error-in-stream.ts";
import { scanAnthropicUsage } from "./scan-anthropic-usage.ts";
import { toAnthropicErrorEvent } from "./to-anthropic-error-event.ts";

// Enough of a stream's start for message_start, and of its end for the last message_delta.
const HEAD_BYTES = 4096;
const TAIL_BYTES = 8192;

/**
 * An Anthropic upstream's answer relayed to an Anthropic client as it is: the bytes untouched
 * (bar a credential in an error event), the usage read from message_start and message_delta for
 * the usage log, an `error` event first in a 200 stream treated as the failure it is (so it may
 * still be retried), and a failure mid-stream told as Anthropic's own `error` event.
 */
export function createAnthropicPassthroughRelay(url: string, stream: boolean): Relay {
  // A stream's first bytes (a whole message is kept in `tail`).
  const head: Buffer[] = [];
  let headBytes = 0;
  // A whole message is kept: its usage comes last.
  const tail = new ByteTail(TAIL_BYTES, stream);
  let error: Error | undefined;
  return {
    get error() {
      return error;
    },
    headers(upstream: UpstreamHeaders) {
      const out: Record<string, string> = {
        "content-type":
          headerValue(upstream["content-type"]) ?? (stream ? "text/event-stream" : "application/json"),
      };
      const requestId = headerValue(upstream["request-id"]);
      if (requestId !== undefined) out["request-id"] = requestId;
      return out;
    },
    data(chunk) {
      if (headBytes === 0 && stream && chunk.subarray(0, 16).toString("latin1").startsWith("event: error")) {
        error = toErrorInStream(url, chunk.toString("utf8").replace(/^event: error\s*data:\s*/, ""));
        return chunk;
      }
      if (stream && headBytes < HEAD_BYTES) {
        head.push(chunk);
        headBytes += chunk.length;
      }
      tail.push(chunk);
      return stream ? scrubErrorEvent(chunk) : chunk;
    },
    end: () => "",
    usage() {
      if (tail.chunks.length === 0) return undefined;
      const last = Buffer.concat(tail.chunks);
      return scanAnthropicUsage(stream ? Buffer.concat(head) : last, last, stream);
    },
    finishReason: () =>
      tail.chunks.length === 0 ? undefined : scanFinishReason(Buffer.concat(tail.chunks), "stop_reason"),
    failure: (message) => toAnthropicErrorEvent(new LlmuxError("provider_error", message)),
  };
}
