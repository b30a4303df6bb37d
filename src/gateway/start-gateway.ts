import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import { createUsageWriter } from "../store/create-usage-writer.ts";
import type { GatewayKey } from "../store/gateway-keys.ts";
import { openDatabase } from "../store/open-database.ts";
import { answerClientError } from "./answer-client-error.ts";
import type { AppContext } from "./app/app-context.ts";
import { handleAppRequest } from "./app/handle-app-request.ts";
import { createBrowserGuard } from "./create-browser-guard.ts";
import { createKeyGuard } from "./create-key-guard.ts";
import { createMetrics } from "./create-metrics.ts";
import { createRequestCapture } from "./create-request-capture.ts";
import { createRouteTable } from "./create-route-table.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { handleChatCompletion } from "./handle-chat-completion.ts";
import { handleEmbeddings } from "./handle-embeddings.ts";
import { isLoopbackHost } from "./is-loopback-host.ts";
import { limitConnections } from "./limit-connections.ts";
import { listModels } from "./list-models.ts";
import { readRequestPath } from "./read-request-path.ts";
import { RequestError } from "./request-error.ts";
import { requireJsonContentType } from "./require-json-content-type.ts";
import { sendError } from "./send-error.ts";
import { toOpenAIError } from "./to-openai-error.ts";

export interface GatewayOptions {
  /** Default 127.0.0.1. Anything else needs gateway keys. */
  host?: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** Let the web app's /api/summarize read pages on loopback and private addresses (default false). */
  allowPrivateAddresses?: boolean;
}

export interface Gateway {
  /** "http://HOST:PORT", without a trailing slash; the OpenAI base URL is `${url}/v1`. */
  readonly url: string;
  /**
   * Stops accepting connections, lets requests in flight finish (streams included) for up to
   * gateway.drainTimeoutMs, then closes what is left and writes the last usage rows.
   */
  close(): Promise<void>;
}

type Handler = (
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
  started: number,
) => Promise<void>;

/** Starts the OpenAI-compatible gateway (`llmux serve`) on node:http. */
export async function startGateway(config: LlmuxConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4000;
  const db = openDatabase(config.paths.database);
  const keys = createKeyGuard(db);
  if (!isLoopbackHost(host) && !keys.hasKeys()) {
    db.close();
    throw new LlmuxError(
      "config",
      `Refusing to listen on ${host} without gateway keys: anyone who can reach it could spend your provider credit`,
      { hint: "Create a key with `llmux keys create`, or listen on 127.0.0.1" },
    );
  }
  const usage = createUsageWriter(db);
  const capture = createRequestCapture();
  const registry = createProviderRegistry(config, { fetch: capture.fetch });
  const metrics = createMetrics();
  const context: GatewayContext = {
    config,
    registry,
    routes: createRouteTable(registry),
    metrics,
    keys,
    capture,
    recordUsage: (row) => usage.record(row),
  };

  const appContext: AppContext = {
    config,
    keys,
    recordUsage: context.recordUsage,
    database: db,
    allowPrivateAddresses: options.allowPrivateAddresses ?? false,
  };

  let inFlight = 0;
  let drained: (() => void) | undefined;

  const serve = async (handler: Handler, route: string, req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    inFlight++;
    metrics.inFlight(1);
    try {
      const key = keys.authenticate(req.headers.authorization);
      await handler(context, req, res, key, started);
    } catch (error) {
      // Refused before any model was called: counted, not written to the usage log.
      if (res.headersSent) res.destroy();
      else sendError(res, error);
      const { status, body } = toOpenAIError(error);
      metrics.observe({
        route,
        model: "unknown",
        provider: "unknown",
        status,
        durationMs: performance.now() - started,
        errorKind: body.error.code ?? body.error.type,
      });
    } finally {
      inFlight--;
      metrics.inFlight(-1);
      if (inFlight === 0) drained?.();
    }
  };

  const guard = createBrowserGuard(config, host);
  const server = createServer({ keepAliveTimeout: 65_000, noDelay: true }, (req, res) => {
    let path: string;
    const method = req.method ?? "GET";
    // Before any route: the connection cap, Host and Origin (a CORS preflight ends here), a
    // readable URL and a JSON body type.
    try {
      admit(req, res);
      if (guard(req, res)) return;
      path = readRequestPath(req.url ?? "/");
      requireJsonContentType(req);
    } catch (error) {
      // A body refused unread (415, 403) may be large: close rather than read it all.
      if (!req.complete) res.shouldKeepAlive = false;
      return sendError(res, error);
    }
    if (path === "/v1/chat/completions") {
      if (method === "POST") return void serve(handleChatCompletion, "chat", req, res);
    } else if (path === "/v1/embeddings") {
      if (method === "POST") return void serve(handleEmbeddings, "embeddings", req, res);
    } else if (path === "/v1/models" || path.startsWith("/v1/models/")) {
      if (method === "GET") return void serve(modelsHandler, "models", req, res);
    } else if (path === "/healthz") {
      if (method === "GET") return sendText(res, 200, "application/json", '{"status":"ok"}');
    } else if (path === "/metrics") {
      if (method === "GET") {
        // Any valid gateway key, once keys exist (a 401 in the OpenAI shape otherwise).
        try {
          keys.authenticate(req.headers.authorization);
        } catch (error) {
          return sendError(res, error);
        }
        return sendText(res, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
      }
    } else {
      return void handleAppRequest(req, res, appContext).then(
        (handled) => {
          if (!handled) {
            sendError(
              res,
              new RequestError(404, `Unknown request URL: ${method} ${path}`, { code: "unknown_url" }),
            );
          }
        },
        (error) => sendError(res, error),
      );
    }
    sendError(
      res,
      new RequestError(405, `${method} is not allowed on ${path}`, { code: "method_not_allowed" }),
    );
  });

  // Declared after the server it watches; requests (and so uses above) come only once it listens.
  const admit = limitConnections(server, config.file.gateway.maxConnections);
  server.on("clientError", answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      usage.close();
      db.close();
      reject(listenError(error, host, port));
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
            setTimeout(resolve, config.file.gateway.drainTimeoutMs).unref();
          });
        }
        server.closeAllConnections();
        await stopped;
        usage.close();
        db.close();
      })();
      return closing;
    },
  };
}

const modelsHandler: Handler = async (context, req, res) => {
  const list = await listModels(context.registry);
  const path = readRequestPath(req.url ?? "/");
  if (path === "/v1/models") return sendText(res, 200, "application/json", JSON.stringify(list));
  const id = decodeURIComponent(path.slice("/v1/models/".length));
  const model = list.data.find((m) => m.id === id);
  if (!model) {
    throw new RequestError(404, `The model ${id} does not exist or cannot answer now`, {
      code: "model_not_found",
      param: "model",
    });
  }
  sendText(res, 200, "application/json", JSON.stringify(model));
};

/** Why the gateway could not listen, in the words of `llmux serve` (its --host and --port). */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): LlmuxError {
  if (error.code === "EADDRINUSE") {
    return new LlmuxError("address_in_use", `Port ${port} on ${host} is already in use`, {
      cause: error,
      hint: "Stop the process that listens there, or pick another port with --port N (--port 0 picks a free one)",
    });
  }
  if (error.code === "EACCES") {
    return new LlmuxError("config", `Not allowed to listen on port ${port} of ${host}`, {
      cause: error,
      hint: "Ports below 1024 need privileges: pick another with --port N",
    });
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    return new LlmuxError("config", `${host} is not an address of this machine (${error.code})`, {
      cause: error,
      hint: "Give --host an address of this machine (127.0.0.1, 0.0.0.0 for all)",
    });
  }
  return new LlmuxError("config", `Cannot listen on ${host}:${port} (${error.code ?? error.message})`, {
    cause: error,
    hint: "Check --host and --port",
  });
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
