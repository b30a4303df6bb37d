import type { IncomingMessage, ServerResponse } from "node:http";
import { RequestError } from "../openai/request-error.ts";
import type { BrowserGuard } from "./create-browser-guard.ts";
import type { RouteTable } from "./create-route-table.ts";
import { readRequestPath } from "./read-request-path.ts";
import { requireJsonContentType } from "./require-json-content-type.ts";
import { sendError } from "./send-error.ts";
import { type RouteServices, serveRoute } from "./serve-route.ts";

interface RequestListener {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Resolves once no request of a labelled route (HttpRoute.metricsLabel) is in flight. */
  drained(): Promise<void>;
}

interface RequestListenerOptions extends RouteServices {
  routes: RouteTable;
  /** The connection cap (limitConnections): throws `busy` for a connection beyond it. */
  admit(req: IncomingMessage, res: ServerResponse): void;
  browserGuard: BrowserGuard;
}

/**
 * The gateway's node:http request listener. Before any route, for every request: the connection
 * cap, Host and Origin (a CORS preflight ends there), a readable URL and a JSON body type; then
 * the route table (404, 405) and serveRoute.
 */
export function createRequestListener(options: RequestListenerOptions): RequestListener {
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? "GET";
    let path: string;
    let route: ReturnType<RouteTable["find"]>;
    try {
      options.admit(req, res);
      if (options.browserGuard(req, res)) return;
      path = readRequestPath(req.url ?? "/");
      requireJsonContentType(req);
      route = options.routes.find(method, path);
    } catch (error) {
      // A body refused unread (415, 403) may be large: close rather than read it all.
      if (!req.complete) res.shouldKeepAlive = false;
      // In the words of the client the path is for (an Ollama client reads only Ollama's errors).
      return sendError(res, error, options.routes.dialectOf((req.url ?? "/").split("?", 1)[0]!));
    }
    const unknownUrl = () =>
      sendError(
        res,
        new RequestError(404, `Unknown request URL: ${method} ${path}`, { code: "unknown_url" }),
        options.routes.dialectOf(path),
      );
    if (!route) return unknownUrl();
    const measured = route.metricsLabel !== undefined;
    if (measured) inFlight++;
    void serveRoute(route, req, res, path, options).then((found) => {
      if (measured && --inFlight === 0) onDrained?.();
      if (!found) unknownUrl();
    });
  };
  return Object.assign(listener, {
    drained: () =>
      inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onDrained = resolve)),
  });
}
