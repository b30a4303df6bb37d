import { LlmuxError } from "../../core/errors.ts";
import { PassthroughRelay, type PassthroughWire } from "../v1/passthrough-relay.ts";
import type { Relay } from "../v1/relay-upstream.ts";
import { scrubErrorEvent } from "../v1/scrub-error-event.ts";
import { scanAnthropicUsage } from "./scan-anthropic-usage.ts";
import { toAnthropicErrorEvent } from "./to-anthropic-error-event.ts";

// Enough of a stream's start for message_start.
const HEAD_BYTES = 4096;

/**
 * An Anthropic upstream's answer relayed to an Anthropic client as it is: the bytes untouched
 * (bar a credential in an error event), the usage read from message_start and message_delta for
 * the usage log, an `error` event first in a 200 stream treated as the failure it is (so it may
 * still be retried), and a failure mid-stream told as Anthropic's own `error` event.
 */
export function createAnthropicPassthroughRelay(url: string, stream: boolean): Relay {
  return new AnthropicPassthroughRelay(url, stream);
}

const ANTHROPIC_WIRE: PassthroughWire = {
  streamType: "text/event-stream",
  wholeType: "application/json",
  requestIdHeader: "request-id",
  finishKey: "stop_reason",
};

class AnthropicPassthroughRelay extends PassthroughRelay {
  // A stream's first bytes, for message_start (a whole message is kept in `tail`).
  private readonly head: Buffer[] = [];
  private headBytes = 0;

  constructor(url: string, stream: boolean) {
    super(url, stream, ANTHROPIC_WIRE);
  }

  protected errorAtStart(chunk: Buffer): string | undefined {
    if (!chunk.subarray(0, 16).toString("latin1").startsWith("event: error")) return undefined;
    return chunk.toString("utf8").replace(/^event: error\s*data:\s*/, "");
  }

  protected pass(chunk: Buffer): Buffer {
    if (!this.stream) return chunk;
    if (this.headBytes < HEAD_BYTES) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
    }
    return scrubErrorEvent(chunk);
  }

  usage() {
    const last = this.tail.joined();
    if (last === undefined) return undefined;
    return scanAnthropicUsage(this.stream ? Buffer.concat(this.head) : last, last, this.stream);
  }

  failure(message: string): string {
    return toAnthropicErrorEvent(new LlmuxError("provider_error", message));
  }
}
