import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { APICallError } from "@ai-sdk/provider";
import type { TokenUsage } from "../catalog/compute-cost.ts";
import { removeUsageEvent } from "./remove-usage-event.ts";
import type { PassthroughTarget } from "./resolve-passthrough-target.ts";
import { scanUsage } from "./scan-usage.ts";

/** What the request handler and the forwarder share while one attempt runs. */
export interface ForwardState {
  /** The status line went to the client: from here on, no retry and no fallback. */
  committed: boolean;
  /** performance.now() of the first body byte sent to the client; 0 before. */
  firstByteAt: number;
  /** Cancels the upstream request (client gone, shutdown). */
  abort: (() => void) | undefined;
}

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
  state: ForwardState;
}

export interface ForwardResult {
  usage: TokenUsage | undefined;
  /** Set when the upstream failed after bytes had gone to the client (already told, in-band). */
  lateError: Error | undefined;
}

// Keep-alive pools: a new TCP (and TLS) connection per request would cost more than the rest.
const httpAgent = new HttpAgent({
  keepAlive: true,
  maxSockets: Number.POSITIVE_INFINITY,
  maxFreeSockets: 1024,
});
const httpsAgent = new HttpsAgent({
  keepAlive: true,
  maxSockets: Number.POSITIVE_INFINITY,
  maxFreeSockets: 256,
});

interface ParsedTarget {
  https: boolean;
  hostname: string;
  port: string;
  pathPrefix: string;
}
const parsedTargets = new WeakMap<PassthroughTarget, ParsedTarget>();

function parse(target: PassthroughTarget): ParsedTarget {
  let parsed = parsedTargets.get(target);
  if (!parsed) {
    const url = new URL(target.baseURL);
    parsed = {
      https: url.protocol === "https:",
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port,
      pathPrefix: url.pathname.replace(/\/+$/, ""),
    };
    parsedTargets.set(target, parsed);
  }
  return parsed;
}

// Enough of a stream's end to hold its usage event.
const TAIL_BYTES = 8192;
// An upstream error body is read whole only up to this size.
const ERROR_BODY_LIMIT = 65536;

/**
 * Sends `body` to an OpenAI-compatible upstream and pipes the response bytes to the client as they
 * arrive, without decoding them. The status line waits for the first body byte, so a failure
 * before it (an error status, a dropped connection, an `{"error"...}` first event, the timeout)
 * rejects with nothing sent and the caller may retry or fall back. Usage is read from the
 * response's tail by string search.
 */
export function forwardToUpstream(options: ForwardOptions): Promise<ForwardResult> {
  const { target, body, res, state, stream } = options;
  const { https, hostname, port, pathPrefix } = parse(target);
  return new Promise<ForwardResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const tail: Buffer[] = [];
    let tailBytes = 0;

    const succeed = (lateError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const text = tail.length === 1 ? tail[0]!.toString("latin1") : Buffer.concat(tail).toString("latin1");
      resolve({ usage: scanUsage(text), lateError });
    };
    const fail = (error: unknown) => {
      if (settled) return;
      if (state.committed) {
        // Bytes went out already: tell the client in-band and end; the caller logs the error.
        const lateError = error instanceof Error ? error : new Error(String(error));
        if (stream && !res.destroyed) {
          res.end(
            `data: ${JSON.stringify({ error: { message: `Upstream stream failed: ${lateError.message}`, type: "server_error", param: null, code: "upstream_error" } })}\n\n`,
          );
        } else {
          res.destroy();
        }
        succeed(lateError);
        return;
      }
      settled = true;
      clearTimeout(timer);
      reject(error);
    };

    const onResponse = (upstream: IncomingMessage) => {
      const status = upstream.statusCode ?? 502;
      if (status >= 400) {
        readErrorBody(upstream).then(
          (text) => fail(statusError(status, text, upstream, target, options.path)),
          fail,
        );
        return;
      }
      upstream.on("data", (chunk: Buffer) => {
        // A destroyed response may still deliver what was already read.
        if (settled) return;
        if (!state.committed) {
          if (stream && startsWithErrorEvent(chunk)) {
            upstream.destroy();
            fail(
              statusError(
                502,
                chunk.toString("utf8").replace(/^data:\s*/, ""),
                upstream,
                target,
                options.path,
              ),
            );
            return;
          }
          const headers: Record<string, string> = {
            ...options.extraHeaders,
            "content-type":
              upstream.headers["content-type"] ?? (stream ? "text/event-stream" : "application/json"),
          };
          if (stream) headers["cache-control"] = "no-cache";
          else if (upstream.headers["content-length"])
            headers["content-length"] = upstream.headers["content-length"];
          const requestId = upstream.headers["x-request-id"];
          if (typeof requestId === "string") headers["x-request-id"] = requestId;
          res.writeHead(status, headers);
          state.committed = true;
          state.firstByteAt = performance.now();
        }
        tail.push(chunk);
        tailBytes += chunk.length;
        // Non-streamed bodies are kept whole: some servers put usage before the choices.
        if (stream) {
          while (tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
        }
        const out = options.stripUsage ? (removeUsageEvent(chunk) ?? chunk) : chunk;
        if (!res.write(out)) {
          upstream.pause();
          res.once("drain", () => upstream.resume());
        }
      });
      upstream.on("end", () => {
        if (settled) return;
        if (!state.committed) {
          // An empty 2xx body: still a response.
          res.writeHead(status, { ...options.extraHeaders, "content-length": "0" });
          state.committed = true;
        }
        res.end();
        succeed();
      });
      upstream.on("error", fail);
      upstream.on("close", () => {
        if (!upstream.complete) fail(new Error("the upstream closed the connection mid-response"));
      });
    };

    const requestOptions = {
      agent: https ? httpsAgent : httpAgent,
      hostname,
      port,
      method: "POST",
      path: `${pathPrefix}${options.path}${target.query}`,
      headers: {
        ...target.headers,
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
        "content-length": String(body.length),
      },
    };
    const upstreamRequest: ClientRequest = https
      ? httpsRequest(requestOptions, onResponse)
      : httpRequest(requestOptions, onResponse);
    upstreamRequest.setNoDelay(true);
    upstreamRequest.on("error", fail);
    state.abort = () => upstreamRequest.destroy(new DOMException("The client went away", "AbortError"));
    timer = setTimeout(() => {
      upstreamRequest.destroy(
        new DOMException(`No complete answer within ${options.timeoutMs} ms`, "TimeoutError"),
      );
    }, options.timeoutMs);
    upstreamRequest.end(body);
  });
}

function startsWithErrorEvent(chunk: Buffer): boolean {
  const at = chunk.indexOf('"error"');
  return at >= 0 && at < 16 && chunk.indexOf("data:") === 0;
}

function readErrorBody(upstream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    upstream.on("data", (part: Buffer) => {
      size += part.length;
      if (size <= ERROR_BODY_LIMIT) parts.push(part);
    });
    upstream.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    upstream.on("error", reject);
  });
}

// The same error the AI SDK providers throw, so one mapping (toLlmuxError) serves both paths.
function statusError(
  status: number,
  body: string,
  upstream: IncomingMessage,
  target: PassthroughTarget,
  path: string,
): APICallError {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (typeof value === "string") headers[name] = value;
  }
  return new APICallError({
    message: `HTTP ${status}`,
    url: `${target.baseURL}${path}`,
    requestBodyValues: undefined,
    statusCode: status,
    responseHeaders: headers,
    responseBody: body,
  });
}
