import { ByteTail } from "./byte-tail.ts";
import {
  type Relay,
  type RelayOptions,
  type RelayResult,
  relayUpstream,
  type UpstreamHeaders,
} from "./relay-upstream.ts";
import { relayedHeaders } from "./relayed-headers.ts";
import { removeUsageEvent } from "./remove-usage-event.ts";
import type { PassthroughTarget } from "./resolve-passthrough-target.ts";
import { scanFinishReason } from "./scan-finish-reason.ts";
import { scanUsage } from "./scan-usage.ts";
import { scrubErrorEvent } from "./scrub-error-event.ts";
import { toErrorInStream } from "./to-error-in-stream.ts";

interface ForwardOptions
  extends Pick<RelayOptions, "res" | "stream" | "timeoutMs" | "extraHeaders" | "state"> {
  target: PassthroughTarget;
  /** The OpenAI path under the base URL, e.g. "/chat/completions". */
  path: string;
  body: Buffer;
  /** Drop the usage-only event the gateway asked for on the client's behalf. */
  stripUsage: boolean;
}

// A target's base URL split once, not on every request.
const parsedTargets = new WeakMap<PassthroughTarget, { origin: string; pathPrefix: string }>();

function parse(target: PassthroughTarget): { origin: string; pathPrefix: string } {
  let parsed = parsedTargets.get(target);
  if (!parsed) {
    const url = new URL(target.baseURL);
    parsed = { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, "") };
    parsedTargets.set(target, parsed);
  }
  return parsed;
}

/**
 * Sends the client's bytes to an OpenAI-compatible upstream and its answer's bytes back, as they
 * arrive, without decoding them (see relayUpstream for when the status line goes out). Usage is
 * read from the answer's tail by byte search.
 */
export function forwardToUpstream(options: ForwardOptions): Promise<RelayResult> {
  const { target, stream } = options;
  const { origin, pathPrefix } = parse(target);
  const path = `${pathPrefix}${options.path}${target.query}`;
  return relayUpstream({
    origin,
    path,
    headers: {
      ...target.headers,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
    },
    body: options.body,
    relay: new PassthroughRelay(`${origin}${path}`, stream, options.stripUsage),
    res: options.res,
    stream,
    timeoutMs: options.timeoutMs,
    extraHeaders: options.extraHeaders,
    state: options.state,
  });
}

// Enough of a stream's end to hold its usage event.
const TAIL_BYTES = 8192;

/** The upstream's bytes as they are (bar a usage event the client did not ask for). */
class PassthroughRelay implements Relay {
  error: Error | undefined = undefined;
  private readonly tail: ByteTail;
  private first = true;

  constructor(
    private readonly url: string,
    private readonly stream: boolean,
    private readonly stripUsage: boolean,
  ) {
    // Non-streamed bodies are kept whole: some servers put usage before the choices.
    this.tail = new ByteTail(TAIL_BYTES, stream);
  }

  headers(upstream: UpstreamHeaders): Record<string, string> {
    const { stream } = this;
    return relayedHeaders(
      upstream,
      stream,
      stream ? "text/event-stream" : "application/json",
      "x-request-id",
    );
  }

  data(chunk: Buffer): Buffer {
    if (this.first) {
      this.first = false;
      if (this.stream && startsWithErrorEvent(chunk)) {
        this.error = toErrorInStream(this.url, chunk.toString("utf8").replace(/^data:\s*/, ""));
        return chunk;
      }
    }
    this.tail.push(chunk);
    const out = this.stripUsage ? (removeUsageEvent(chunk) ?? chunk) : chunk;
    return this.stream ? scrubErrorEvent(out) : out;
  }

  end(): string {
    return "";
  }

  usage() {
    const tail = this.tail.joined();
    return tail && scanUsage(tail);
  }

  finishReason() {
    const tail = this.tail.joined();
    return tail && scanFinishReason(tail, "finish_reason");
  }
}

// An SSE stream whose first event is `data: {"error":...}`: a failure, though the status was 200.
function startsWithErrorEvent(chunk: Buffer): boolean {
  const head = chunk.subarray(0, 24);
  return head.indexOf("data:") === 0 && head.includes('"error"');
}
