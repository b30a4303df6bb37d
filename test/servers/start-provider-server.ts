import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { readFixture } from "./read-fixture.ts";

/** One scripted answer; the server consumes one per request and repeats the last. */
export interface ResponseSpec {
  /**
   * A recorded response under ../shared/provider-fixtures, without extension, e.g.
   * "openai/chat/openai-text": `<name>.chunks.txt` answers a streaming request, `<name>.json` any other.
   */
  fixture?: string;
  /** Inline whole body, for what no fixture covers. */
  json?: unknown;
  /** Inline stream events, one per event: objects are JSON-encoded, strings sent as they are. */
  chunks?: readonly unknown[];
  /** HTTP status (default 200). At 400 or above with no fixture/json, the body is the provider's error shape. */
  status?: number;
  /** Message for a generated error body (default: the status text). */
  message?: string;
  /** Extra response headers, e.g. `{ "retry-after": "1" }`. */
  headers?: Record<string, string>;
  /** Pause between stream events. */
  chunkDelayMs?: number;
  /**
   * Send the headers and this many events, then hold the connection open until the client goes away.
   * On a non-streaming request nothing at all is sent.
   */
  stallAfterEvents?: number;
}

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse". */
  path: string;
  /** The path without its query string. */
  pathname: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw body text. */
  body: string;
  /** The body parsed, when it is a JSON object (every request body these APIs take is one). */
  json: Record<string, unknown> | undefined;
}

export interface ProviderServer {
  /** Base URL without a trailing slash, "http://127.0.0.1:PORT"; append the provider's prefix. */
  readonly url: string;
  /** Every request received, in order, including those that matched no route. */
  readonly requests: RecordedRequest[];
  /** How many responses the client abandoned before the server finished them. */
  readonly closedByClient: number;
  /** Resolves once `closedByClient` reaches `count` (default 1). */
  whenClosedByClient(count?: number): Promise<void>;
  close(): Promise<void>;
}

/** How one provider's wire protocol answers; each start*Server file supplies one. */
export interface WireProtocol {
  /** "stream" or "json" for a route the provider serves, undefined for anything else (404). */
  classify(req: RecordedRequest): "json" | "stream" | undefined;
  streamContentType: string;
  /** Encodes one event (the JSON text of its payload) as it appears on the wire. */
  frame(line: string): string | Uint8Array;
  /** Sent after the last event, e.g. OpenAI's `data: [DONE]` (which its Responses API does not send). */
  streamEnd?: string | ((req: RecordedRequest) => string | undefined);
  /** Content type of whole JSON bodies (default application/json). */
  jsonContentType?: string;
  /** Chooses which recorded events this request gets (OpenAI's stream_options.include_usage). */
  selectEvents?(lines: string[], req: RecordedRequest): string[];
  /** The provider's documented error body (and headers) for a status. */
  errorResponse(status: number, message: string): { body: unknown; headers?: Record<string, string> };
}

interface LoadedSpec extends ResponseSpec {
  jsonText?: string;
  lines?: string[];
}

function loadSpec(spec: ResponseSpec): LoadedSpec {
  const loaded: LoadedSpec = { ...spec };
  if (spec.fixture !== undefined) {
    // Serve the recorded bytes as they are, so the client sees exactly what the provider sent.
    const { jsonText, lines } = readFixture(spec.fixture);
    Object.assign(loaded, { jsonText, lines });
  }
  if (spec.json !== undefined) loaded.jsonText = JSON.stringify(spec.json);
  if (spec.chunks) loaded.lines = spec.chunks.map((c) => (typeof c === "string" ? c : JSON.stringify(c)));
  return loaded;
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const body = Buffer.concat(parts).toString("utf8");
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      json = parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: `json` stays undefined and the raw body is still recorded.
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const url = req.url ?? "/";
  return { method: req.method ?? "GET", path: url, pathname: url.split("?")[0]!, headers, body, json };
}

function sendBody(res: ServerResponse, status: number, contentType: string, body: string, extra = {}): void {
  res.writeHead(status, { "content-type": contentType, ...extra });
  res.end(body);
}

function sendError(res: ServerResponse, protocol: WireProtocol, status: number, message: string, extra = {}) {
  const { body, headers } = protocol.errorResponse(status, message);
  sendBody(res, status, "application/json", JSON.stringify(body), { ...headers, ...extra });
}

/**
 * Starts a loopback HTTP server on 127.0.0.1 (random port) that answers `protocol`'s routes with
 * `script`, one entry per request, repeating the last entry once the script runs out.
 */
export async function startProviderServer(
  protocol: WireProtocol,
  script: readonly ResponseSpec[],
): Promise<ProviderServer> {
  if (script.length === 0) throw new Error("a provider server needs at least one scripted response");
  const specs = script.map(loadSpec);
  const requests: RecordedRequest[] = [];
  let served = 0;
  let closedByClient = 0;
  let closing = false;
  const closeWaiters = new Set<{ count: number; resolve: () => void }>();

  const noteClientClose = () => {
    closedByClient++;
    for (const waiter of closeWaiters) {
      if (closedByClient < waiter.count) continue;
      closeWaiters.delete(waiter);
      waiter.resolve();
    }
  };

  async function respond(
    res: ServerResponse,
    spec: LoadedSpec,
    kind: "json" | "stream",
    req: RecordedRequest,
  ) {
    const status = spec.status ?? 200;
    const extra = spec.headers ?? {};
    const entry = spec.fixture ?? "inline script entry";
    if (status >= 400 && spec.jsonText === undefined) {
      sendError(res, protocol, status, spec.message ?? STATUS_CODES[status] ?? `HTTP ${status}`, extra);
      return;
    }
    if (kind === "json" || status >= 400) {
      if (spec.jsonText === undefined) {
        sendError(res, protocol, 500, `test server: ${entry} has no whole JSON body`);
      } else if (spec.stallAfterEvents === undefined) {
        // (A stalled non-streaming response sends nothing at all.)
        sendBody(res, status, protocol.jsonContentType ?? "application/json", spec.jsonText, extra);
      }
      return;
    }
    if (spec.lines === undefined) {
      sendError(res, protocol, 500, `test server: ${entry} has no stream events`);
      return;
    }
    const lines = protocol.selectEvents ? protocol.selectEvents(spec.lines, req) : spec.lines;
    res.writeHead(status, {
      "content-type": protocol.streamContentType,
      "cache-control": "no-cache",
      ...extra,
    });
    res.flushHeaders();
    for (const [i, line] of lines.slice(0, spec.stallAfterEvents).entries()) {
      if (i > 0 && spec.chunkDelayMs) await sleep(spec.chunkDelayMs);
      if (res.destroyed) return;
      res.write(protocol.frame(line));
    }
    // A stalled response stays open until the client gives up (or the server closes).
    if (spec.stallAfterEvents === undefined) {
      res.end(typeof protocol.streamEnd === "function" ? protocol.streamEnd(req) : protocol.streamEnd);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    res.on("close", () => {
      if (!res.writableFinished && !closing) noteClientClose();
    });
    const recorded = await readRequest(req);
    requests.push(recorded);
    const kind = protocol.classify(recorded);
    if (kind === undefined) {
      sendError(res, protocol, 404, `test server: no route for ${recorded.method} ${recorded.path}`);
      return;
    }
    const spec = specs[Math.min(served, specs.length - 1)]!;
    served++;
    await respond(res, spec, kind, recorded);
  }

  // A client that hangs up while its request body is still arriving makes readRequest throw.
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get closedByClient() {
      return closedByClient;
    },
    whenClosedByClient(count = 1) {
      if (closedByClient >= count) return Promise.resolve();
      return new Promise<void>((resolve) => closeWaiters.add({ count, resolve }));
    },
    close() {
      // Stalled responses and keep-alive sockets would otherwise hold close() open.
      closing = true;
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
