import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { ByteTail } from "./byte-tail.ts";
import { headerValue, type Relay, type UpstreamHeaders } from "./relay-upstream.ts";
import { scanFinishReason } from "./scan-finish-reason.ts";
import { toErrorInStream } from "./to-error-in-stream.ts";

/** What a relay passing a wire format's answers through needs to know of that format. */
export interface PassthroughWire {
  /** The media types when the upstream names none: streamed, and whole. */
  streamType: string;
  wholeType: string;
  /** The upstream's request id header, passed on to the client under its own name. */
  requestIdHeader?: string;
  /** The JSON key that holds the answer's finish reason ("finish_reason", "stop_reason"...). */
  finishKey: string;
}

// Enough of a stream's end to hold its usage (a whole answer is kept whole: some servers put
// usage before the content).
const TAIL_BYTES = 8192;

/**
 * An upstream's answer passed to a client that speaks the same wire format: its bytes as they
 * are (bar what a dialect's `pass` changes), its length when whole, its last bytes kept for the
 * usage and finish reason, and a stream that begins with an error (`errorAtStart`) failing as an
 * error status would, so that it may still be retried. A class, not an object of closures: one
 * allocation per request and no closure scope kept alive for the whole answer (see AttemptState).
 */
export abstract class PassthroughRelay implements Relay {
  error: Error | undefined = undefined;
  protected readonly tail: ByteTail;
  private first = true;

  constructor(
    protected readonly url: string,
    protected readonly stream: boolean,
    private readonly wire: PassthroughWire,
  ) {
    this.tail = new ByteTail(TAIL_BYTES, stream);
  }

  headers(upstream: UpstreamHeaders): Record<string, string> {
    const { stream, wire } = this;
    const out: Record<string, string> = {
      "content-type": headerValue(upstream["content-type"]) ?? (stream ? wire.streamType : wire.wholeType),
    };
    // A whole answer keeps its length, so the client gets one framed body rather than chunks.
    const length = headerValue(upstream["content-length"]);
    if (!stream && length !== undefined) out["content-length"] = length;
    const requestId = wire.requestIdHeader && headerValue(upstream[wire.requestIdHeader]);
    if (requestId) out[wire.requestIdHeader!] = requestId;
    return out;
  }

  data(chunk: Buffer): Buffer {
    if (this.first) {
      this.first = false;
      const error = this.stream ? this.errorAtStart(chunk) : undefined;
      if (error !== undefined) {
        this.error = toErrorInStream(this.url, error);
        return chunk;
      }
    }
    this.tail.push(chunk);
    return this.pass(chunk);
  }

  end(): string {
    return "";
  }

  finishReason(): string | undefined {
    const tail = this.tail.joined();
    return tail && scanFinishReason(tail, this.wire.finishKey);
  }

  abstract usage(): TokenUsage | undefined;

  /** The error body a stream's first chunk holds in place of an answer; undefined for an answer. */
  protected abstract errorAtStart(chunk: Buffer): string | undefined;

  /** The bytes the client gets for `chunk` (already kept in `tail`); a whole answer's must not change. */
  protected abstract pass(chunk: Buffer): Buffer;
}
