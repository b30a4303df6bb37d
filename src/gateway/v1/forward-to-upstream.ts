import { PassthroughRelay, type PassthroughWire } from "./passthrough-relay.ts";
import { type RelayOptions, type RelayResult, relayUpstream } from "./relay-upstream.ts";
import { removeUsageEvent } from "./remove-usage-event.ts";
import type { PassthroughTarget } from "./resolve-passthrough-target.ts";
import { scanUsage } from "./scan-usage.ts";
import { scrubErrorEvent } from "./scrub-error-event.ts";

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
    relay: new OpenAIPassthroughRelay(`${origin}${path}`, stream, options.stripUsage),
    res: options.res,
    stream,
    timeoutMs: options.timeoutMs,
    extraHeaders: options.extraHeaders,
    state: options.state,
  });
}

const OPENAI_WIRE: PassthroughWire = {
  streamType: "text/event-stream",
  wholeType: "application/json",
  requestIdHeader: "x-request-id",
  finishKey: "finish_reason",
};

/** The upstream's bytes as they are (bar a usage event the client did not ask for). */
class OpenAIPassthroughRelay extends PassthroughRelay {
  constructor(
    url: string,
    stream: boolean,
    private readonly stripUsage: boolean,
  ) {
    super(url, stream, OPENAI_WIRE);
  }

  protected errorAtStart(chunk: Buffer): string | undefined {
    return startsWithErrorEvent(chunk) ? chunk.toString("utf8").replace(/^data:\s*/, "") : undefined;
  }

  protected pass(chunk: Buffer): Buffer {
    const out = this.stripUsage ? (removeUsageEvent(chunk) ?? chunk) : chunk;
    return this.stream ? scrubErrorEvent(out) : out;
  }

  usage() {
    const tail = this.tail.joined();
    return tail && scanUsage(tail);
  }
}

// An SSE stream whose first event is `data: {"error":...}`: a failure, though the status was 200.
function startsWithErrorEvent(chunk: Buffer): boolean {
  const head = chunk.subarray(0, 24);
  return head.indexOf("data:") === 0 && head.includes('"error"');
}
