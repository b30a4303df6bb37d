import type { ServerResponse } from "node:http";
import { APICallError } from "@ai-sdk/provider";
import { Agent, type Dispatcher } from "undici";
import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { redactSecrets } from "../../core/redact-secrets.ts";
import type { AttemptState } from "./attempt-state.ts";

export type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** Turns an upstream's 2xx body into what the client gets: the same bytes, or a translation. */
export interface Relay {
  /** Headers for the client's response (content type, length, request id), from the upstream's. */
  headers(upstream: UpstreamHeaders): Record<string, string>;
  /** What one chunk of the upstream body gives the client now; empty when nothing is due yet. */
  data(chunk: Buffer): Buffer | string;
  /** What is left to send once the upstream body has ended. */
  end(): Buffer | string;
  /** An error the upstream reported inside its 2xx body, once seen. */
  readonly error: Error | undefined;
  /**
   * An error the upstream reported after the answer had begun, passed to the client as it came:
   * the request then counts as failed mid-stream (lateError), not as a success.
   */
  readonly lateError?: Error | undefined;
  /** Token usage the answer reported, read once it has ended. */
  usage(): TokenUsage | undefined;
  /** Why the model stopped, as the answer said (read once it has ended; for traces). */
  finishReason?(): string | undefined;
  /** What ends a stream that failed after bytes went out, in the client's format; an OpenAI error event by default. */
  failure?(message: string): string;
}

export interface RelayOptions {
  /** "http://host:port" of the upstream. */
  origin: string;
  /** Path and query under the origin. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
  relay: Relay;
  res: ServerResponse;
  /** The client asked for SSE: no content-length, no buffering. */
  stream: boolean;
  timeoutMs: number;
  /** Headers added to the client's response (x-llmux-model). */
  extraHeaders: Record<string, string>;
  state: AttemptState;
}

export interface RelayResult {
  usage: TokenUsage | undefined;
  /** Why the model stopped ("stop", "end_turn", "length"...), in the provider's own word when it gave one. */
  finishReason?: string;
  /** Set when the upstream failed after bytes had gone to the client (already told, in-band). */
  lateError: Error | undefined;
}

// undici's dispatcher rather than node:http's client: measured in the gateway benchmark, a
// node:http server forwarding through it spends about a third less CPU per request than the
// node:http byte pipe. Keep-alive pools per origin; no pipelining (a slow answer would hold
// the ones queued behind it).
const dispatcher = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 30_000 });

// An upstream error body is read whole only up to this size.
const ERROR_BODY_LIMIT = 65536;
// A whole answer that came without its length is held up to this size, then sent as it comes.
const HOLD_LIMIT = 1024 * 1024;

/**
 * POSTs `body` upstream and writes what `relay` makes of the response to the client as it
 * arrives (a whole answer sent without its length: at its end, up to HOLD_LIMIT). The status line
 * waits for the relay's first output, so a failure before it (an error status, a dropped
 * connection, an error event, the timeout) rejects with nothing sent and the caller may retry or
 * fall back.
 */
export function relayUpstream(options: RelayOptions): Promise<RelayResult> {
  return new Promise<RelayResult>((resolve, reject) => {
    const handler = new RelayHandler(options, resolve, reject);
    options.state.upstream = handler;
    dispatcher.dispatch(
      {
        origin: options.origin,
        path: options.path,
        method: "POST",
        headers: options.headers,
        body: options.body,
        // The whole answer has `timeoutMs`; these only stop undici's own 300 s limits cutting in first.
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
      handler,
    );
  });
}

/**
 * One upstream request, as undici's dispatch handler. A class rather than closures: it is
 * allocated once per request and holds nothing the request does not need (see AttemptState).
 */
class RelayHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private cancelReason: Error | undefined;
  private settled = false;
  private status = 0;
  private headers: UpstreamHeaders = {};
  private readonly errorBody: Buffer[] = [];
  private errorBytes = 0;
  // A whole answer the upstream sent without its length (chunked), held until it ends: the
  // client then gets it in one write with its length, as from an upstream that gave it.
  private holding = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: RelayOptions,
    private readonly resolve: (result: RelayResult) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(
      () => this.abort(new DOMException(`No complete answer within ${options.timeoutMs} ms`, "TimeoutError")),
      options.timeoutMs,
    );
  }

  /** Cancels the upstream request (client gone, timeout); before it has started, as soon as it does. */
  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.cancelReason ??= reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelReason) controller.abort(this.cancelReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: UpstreamHeaders,
  ): void {
    this.status = statusCode;
    this.headers = headers;
    this.holding = !this.options.stream && headers["content-length"] === undefined;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.status >= 400) {
      // Kept for the error message, up to a limit.
      if (this.errorBytes < ERROR_BODY_LIMIT) {
        this.errorBody.push(chunk);
        this.errorBytes += chunk.length;
      }
      return;
    }
    const { relay, res } = this.options;
    let out = relay.data(chunk);
    if (relay.error) {
      controller.abort(relay.error);
      this.fail(relay.error);
      return;
    }
    if (out.length === 0) return;
    if (this.holding) {
      this.held.push(toBuffer(out));
      this.heldBytes += out.length;
      if (this.heldBytes <= HOLD_LIMIT) return;
      // Too large to hold: it goes on as it comes, chunked.
      this.holding = false;
      out = Buffer.concat(this.held);
      this.held = [];
    }
    if (!this.options.state.committed) this.commit(undefined);
    if (this.options.stream) this.options.state.countEvents(out);
    if (!res.write(out)) {
      controller.pause();
      res.once("drain", () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.status >= 400) {
      this.fail(this.statusError(Buffer.concat(this.errorBody).toString("utf8")));
      return;
    }
    const { relay, res, state } = this.options;
    const last = relay.end();
    if (relay.error) {
      this.fail(relay.error);
      return;
    }
    const out = this.holding ? Buffer.concat([...this.held, toBuffer(last)]) : last;
    if (!state.committed) this.commit(out);
    res.end(out);
    this.succeed(relay.lateError);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  // The status line and headers; `whole` is the entire body when it is known at this point.
  private commit(whole: Buffer | string | undefined): void {
    const { options } = this;
    const out: Record<string, string> = { ...options.extraHeaders, ...options.relay.headers(this.headers) };
    if (options.stream) out["cache-control"] = "no-cache";
    else if (whole !== undefined) out["content-length"] = String(Buffer.byteLength(whole));
    options.res.writeHead(this.status, out);
    options.state.committed = true;
    options.state.firstByteAt = performance.now();
  }

  private succeed(lateError: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const { relay } = this.options;
    this.resolve({ usage: relay.usage(), finishReason: relay.finishReason?.(), lateError });
  }

  private fail(error: Error): void {
    if (this.settled) return;
    const { state, res, stream } = this.options;
    if (state.committed) {
      // Bytes went out already: tell the client in-band and end; the caller logs the error.
      if (stream && !res.destroyed) {
        const message = `Upstream stream failed: ${redactSecrets(error.message)}`;
        res.end(
          this.options.relay.failure?.(message) ??
            `data: ${JSON.stringify({ error: { message, type: "server_error", param: null, code: "upstream_error" } })}\n\n`,
        );
      } else {
        res.destroy();
      }
      this.succeed(error);
      return;
    }
    this.settled = true;
    clearTimeout(this.timer);
    this.reject(error);
  }

  // The same error the AI SDK providers throw, so one mapping (toLlmuxError) serves both paths.
  private statusError(body: string): APICallError {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    return new APICallError({
      message: `HTTP ${this.status}`,
      url: `${this.options.origin}${this.options.path}`,
      requestBodyValues: undefined,
      statusCode: this.status,
      responseHeaders: headers,
      responseBody: body,
    });
  }
}

function toBuffer(part: Buffer | string): Buffer {
  return typeof part === "string" ? Buffer.from(part) : part;
}

/** A header's (first) value. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
