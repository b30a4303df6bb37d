import type { ServerResponse } from "node:http";
import { APICallError } from "@ai-sdk/provider";
import { Agent, type Dispatcher } from "undici";
import type { TokenUsage } from "../catalog/compute-cost.ts";
import type { AttemptState } from "./attempt-state.ts";
import { removeUsageEvent } from "./remove-usage-event.ts";
import type { PassthroughTarget } from "./resolve-passthrough-target.ts";
import { scanUsage } from "./scan-usage.ts";

export interface ForwardOptions {
  target: PassthroughTarget;
  /** The OpenAI path under the base URL, e.g. "/chat/completions". */
  path: string;
  body: Buffer;
  res: ServerResponse;
  stream: boolean;
  /** Drop the usage-only event the gateway asked for on the client's behalf. */
  stripUsage: boolean;
  timeoutMs: number;
  /** Headers added to the client's response (x-llmux-model). */
  extraHeaders: Record<string, string>;
  state: AttemptState;
}

export interface ForwardResult {
  usage: TokenUsage | undefined;
  /** Set when the upstream failed after bytes had gone to the client (already told, in-band). */
  lateError: Error | undefined;
}

// undici's dispatcher rather than node:http's client: measured in the gateway benchmark, a
// node:http server forwarding through it spends about a third less CPU per request than the
// node:http byte pipe. Keep-alive pools per origin; no pipelining (a slow answer would hold
// the ones queued behind it).
const dispatcher = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 30_000 });

interface ParsedTarget {
  origin: string;
  pathPrefix: string;
}
const parsedTargets = new WeakMap<PassthroughTarget, ParsedTarget>();

function parse(target: PassthroughTarget): ParsedTarget {
  let parsed = parsedTargets.get(target);
  if (!parsed) {
    const url = new URL(target.baseURL);
    parsed = { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, "") };
    parsedTargets.set(target, parsed);
  }
  return parsed;
}

// Enough of a stream's end to hold its usage event.
const TAIL_BYTES = 8192;
// An upstream error body is read whole only up to this size.
const ERROR_BODY_LIMIT = 65536;

/**
 * Sends `body` to an OpenAI-compatible upstream and writes the response bytes to the client as
 * they arrive, without decoding them. The status line waits for the first body byte, so a failure
 * before it (an error status, a dropped connection, an `{"error"...}` first event, the timeout)
 * rejects with nothing sent and the caller may retry or fall back. Usage is read from the
 * response's tail by byte search.
 */
export function forwardToUpstream(options: ForwardOptions): Promise<ForwardResult> {
  const { target } = options;
  const { origin, pathPrefix } = parse(target);
  return new Promise<ForwardResult>((resolve, reject) => {
    const handler = new ForwardHandler(options, resolve, reject);
    options.state.upstream = handler;
    dispatcher.dispatch(
      {
        origin,
        path: `${pathPrefix}${options.path}${target.query}`,
        method: "POST",
        headers: {
          ...target.headers,
          "content-type": "application/json",
          accept: options.stream ? "text/event-stream" : "application/json",
        },
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
 * One forwarded request, as undici's dispatch handler. A class rather than closures: it is
 * allocated once per request and holds nothing the request does not need (see AttemptState).
 */
class ForwardHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private cancelReason: Error | undefined;
  private settled = false;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: ForwardOptions,
    private readonly resolve: (result: ForwardResult) => void,
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
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    const { options } = this;
    const { state, res, stream } = options;
    if (this.status >= 400) {
      // Kept for the error message, up to a limit.
      if (this.tailBytes < ERROR_BODY_LIMIT) this.keep(chunk);
      return;
    }
    if (!state.committed) {
      if (stream && startsWithErrorEvent(chunk)) {
        controller.abort(new Error("error event"));
        this.fail(this.statusError(502, chunk.toString("utf8").replace(/^data:\s*/, "")));
        return;
      }
      this.commit();
    }
    this.keep(chunk);
    // Non-streamed bodies are kept whole: some servers put usage before the choices.
    if (stream) {
      const { tail } = this;
      while (this.tailBytes - tail[0]!.length >= TAIL_BYTES) this.tailBytes -= tail.shift()!.length;
    }
    const out = options.stripUsage ? (removeUsageEvent(chunk) ?? chunk) : chunk;
    if (!res.write(out)) {
      controller.pause();
      res.once("drain", () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.status >= 400) {
      this.fail(this.statusError(this.status, Buffer.concat(this.tail).toString("utf8")));
      return;
    }
    // An empty 2xx body is still a response.
    if (!this.options.state.committed) this.commit("0");
    this.options.res.end();
    this.succeed(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private keep(chunk: Buffer): void {
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
  }

  private commit(contentLength?: string): void {
    const { options, headers } = this;
    const out: Record<string, string> = {
      ...options.extraHeaders,
      "content-type":
        headerValue(headers["content-type"]) ?? (options.stream ? "text/event-stream" : "application/json"),
    };
    const length = contentLength ?? (options.stream ? undefined : headerValue(headers["content-length"]));
    if (options.stream) out["cache-control"] = "no-cache";
    else if (length !== undefined) out["content-length"] = length;
    const requestId = headerValue(headers["x-request-id"]);
    if (requestId !== undefined) out["x-request-id"] = requestId;
    options.res.writeHead(this.status, out);
    options.state.committed = true;
    options.state.firstByteAt = performance.now();
  }

  private succeed(lateError: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const { tail } = this;
    const usage =
      tail.length === 0 ? undefined : scanUsage(tail.length === 1 ? tail[0]! : Buffer.concat(tail));
    this.resolve({ usage, lateError });
  }

  private fail(error: Error): void {
    if (this.settled) return;
    const { state, res, stream } = this.options;
    if (state.committed) {
      // Bytes went out already: tell the client in-band and end; the caller logs the error.
      if (stream && !res.destroyed) {
        res.end(
          `data: ${JSON.stringify({ error: { message: `Upstream stream failed: ${error.message}`, type: "server_error", param: null, code: "upstream_error" } })}\n\n`,
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
  private statusError(status: number, body: string): APICallError {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    return new APICallError({
      message: `HTTP ${status}`,
      url: `${this.options.target.baseURL}${this.options.path}`,
      requestBodyValues: undefined,
      statusCode: status,
      responseHeaders: headers,
      responseBody: body,
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// An SSE stream whose first event is `data: {"error":...}`: a failure, though the status was 200.
function startsWithErrorEvent(chunk: Buffer): boolean {
  const head = chunk.subarray(0, 24);
  return head.indexOf("data:") === 0 && head.includes('"error"');
}
