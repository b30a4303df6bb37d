import type { ServerResponse } from "node:http";
import type { ResolvedModel } from "../../providers/provider-registry.ts";

const DATA = Buffer.from("data:");

/** One call of one model while answering a request (a retry or a fallback is another). */
export interface AttemptRecord {
  /** The model tried. */
  resolved: ResolvedModel;
  /** performance.now() when the call started and when it settled. */
  startedAt: number;
  endedAt: number;
  /** The llmux error kind it failed with; undefined when it answered. */
  errorKind: string | undefined;
}

/**
 * What a request handler and the attempt serving it (forwarding or translation) share. The
 * attempt registers what to cancel as an object, not as a closure: a per-request closure kept on
 * this object held the whole attempt's scope, and under load V8 promoted those scopes to the old
 * generation, which doubled the gateway's GC time (see bench/gateway.README.md).
 */
export class AttemptState {
  /** The status line went to the client: from here on, no retry and no fallback. */
  committed = false;
  /** performance.now() of the first body byte sent to the client; 0 before. */
  firstByteAt = 0;
  /** The client closed the connection before its answer was complete. */
  clientGone = false;
  /**
   * Server-sent events that reached the client: a chat stream sends about one token an event, so
   * this is what a stream cut short (client gone, upstream failed) is charged for when the
   * upstream never reported its usage.
   */
  streamedEvents = 0;
  /** The upstream request (forwarding) or the provider call's controller (translation) in flight. */
  upstream: { abort(reason: Error): void } | undefined = undefined;
  /** Every model call made for this request, in order (for traces). */
  readonly attempts: AttemptRecord[] = [];
  /** The request's user id (OpenAI `user`, Anthropic `metadata.user_id`): a sticky pool keeps it on one deployment. */
  stickyUser: string | undefined = undefined;
  /** The conversation's id (see noteStickyKeys): a pool sticky by conversation keeps it on one deployment. */
  stickySession: string | undefined = undefined;

  /** Counts the events in `out`, bytes about to be written to a streaming client. */
  countEvents(out: Buffer | string): void {
    if (typeof out === "string") {
      for (let at = out.indexOf("data:"); at >= 0; at = out.indexOf("data:", at + 5)) {
        if (at === 0 || out.charCodeAt(at - 1) === 10) this.streamedEvents++;
      }
      return;
    }
    for (let at = out.indexOf(DATA); at >= 0; at = out.indexOf(DATA, at + 5)) {
      // At the start of a line: a field name, not text inside a JSON string.
      if (at === 0 || out[at - 1] === 10) this.streamedEvents++;
    }
  }

  /** Watches `res`: a client that goes away before the end cancels the upstream work. */
  constructor(res: ServerResponse) {
    res.on("close", () => {
      if (res.writableFinished) return;
      this.clientGone = true;
      this.upstream?.abort(new DOMException("The client went away", "AbortError"));
    });
  }
}
