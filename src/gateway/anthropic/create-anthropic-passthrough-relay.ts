import { LlmuxError } from "../../core/errors.ts";
import { ByteTail } from "../v1/byte-tail.ts";
import type { Relay, UpstreamHeaders } from "../v1/relay-upstream.ts";
import { relayedHeaders } from "../v1/relayed-headers.ts";
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
  return new AnthropicPassthroughRelay(url, stream);
}

// A class, not an object of closures: one allocation per request, and no closure scope kept
// alive for the whole answer (which under load V8 promotes; see AttemptState).
class AnthropicPassthroughRelay implements Relay {
  error: Error | undefined = undefined;
  // A stream's first bytes, for message_start (a whole message is kept in `tail`).
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly tail: ByteTail;

  constructor(
    private readonly url: string,
    private readonly stream: boolean,
  ) {
    this.tail = new ByteTail(TAIL_BYTES, stream);
  }

  headers(upstream: UpstreamHeaders): Record<string, string> {
    const { stream } = this;
    return relayedHeaders(upstream, stream, stream ? "text/event-stream" : "application/json", "request-id");
  }

  data(chunk: Buffer): Buffer {
    const { stream } = this;
    if (
      this.headBytes === 0 &&
      stream &&
      chunk.subarray(0, 16).toString("latin1").startsWith("event: error")
    ) {
      this.error = toErrorInStream(this.url, chunk.toString("utf8").replace(/^event: error\s*data:\s*/, ""));
      return chunk;
    }
    if (stream && this.headBytes < HEAD_BYTES) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
    }
    this.tail.push(chunk);
    return stream ? scrubErrorEvent(chunk) : chunk;
  }

  end(): string {
    return "";
  }

  usage() {
    const last = this.tail.joined();
    if (last === undefined) return undefined;
    return scanAnthropicUsage(this.stream ? Buffer.concat(this.head) : last, last, this.stream);
  }

  finishReason() {
    const last = this.tail.joined();
    return last && scanFinishReason(last, "stop_reason");
  }

  failure(message: string): string {
    return toAnthropicErrorEvent(new LlmuxError("provider_error", message));
  }
}
