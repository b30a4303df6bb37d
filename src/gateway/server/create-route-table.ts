import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { openaiDialect } from "../openai/openai-dialect.ts";
import { RequestError } from "../openai/request-error.ts";
import type { WireDialect } from "./wire-dialect.ts";

/** A request as a route's handler gets it: its key checked, counted and measured by the core. */
interface RoutedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path the route matched, without its query string. */
  path: string;
  /** The gateway key presented; undefined on open routes and while no key exists. */
  key: GatewayKey | undefined;
  /** performance.now() when the core took the request. */
  started: number;
}

/** One method and path of the gateway, and what the core does before its handler runs. */
export interface HttpRoute {
  method: "GET" | "HEAD" | "POST" | "PATCH" | "DELETE";
  /** A path, or a prefix ending in "*" (`/v1/models/*`). */
  path: string;
  /** "open" asks for no key (the web page, so that it can ask for one; /healthz). */
  access: "open" | "key";
  /**
   * When the request counts against its key's requests per minute: on arrival ("request"), with
   * the model allowlist once the handler knows the model (`KeyGuard.authorize`, "model", so a
   * refused model uses none up), or never ("none").
   */
  rateLimit: "request" | "model" | "none";
  /**
   * The route's label in /metrics: requests in flight and those refused before any model was
   * called are counted under it, and closing the gateway waits for them. Unlabelled routes are
   * neither measured nor waited for.
   */
  metricsLabel?: string;
  /** The wire format of the route's answers and errors; default OpenAI's. */
  dialect?: WireDialect;
  /** Resolves false when there is nothing at this path after all (a web asset that is not built); other values are ignored. */
  handle(request: RoutedRequest): unknown;
}

export interface RouteTable {
  /**
   * The route for a request; undefined when no route has its path, a 405 RequestError when
   * routes have it but not for this method.
   */
  find(method: string, path: string): HttpRoute | undefined;
  /**
   * The dialect errors at `path` are answered in, before or without a route (403, 404, 405, 415,
   * 503): that of the routes at the path, else the table's.
   */
  dialectOf(path: string): WireDialect;
}

/**
 * Every route of a gateway in one table: exact paths looked up, prefixes tried in order.
 * `dialect` answers errors at paths no route covers (default OpenAI's).
 */
export function createRouteTable(
  routes: readonly HttpRoute[],
  options: { dialect?: WireDialect } = {},
): RouteTable {
  const exact = new Map<string, Map<string, HttpRoute>>();
  const prefixes: { prefix: string; byMethod: Map<string, HttpRoute> }[] = [];
  for (const route of routes) {
    let byMethod: Map<string, HttpRoute> | undefined;
    if (route.path.endsWith("*")) {
      const prefix = route.path.slice(0, -1);
      byMethod = prefixes.find((p) => p.prefix === prefix)?.byMethod;
      if (!byMethod) {
        byMethod = new Map();
        prefixes.push({ prefix, byMethod });
      }
    } else {
      byMethod = exact.get(route.path);
      if (!byMethod) {
        byMethod = new Map();
        exact.set(route.path, byMethod);
      }
    }
    if (byMethod.has(route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
    byMethod.set(route.method, route);
  }
  const routesAt = (path: string) =>
    exact.get(path) ?? prefixes.find((p) => path.startsWith(p.prefix))?.byMethod;
  const fallback = options.dialect ?? openaiDialect;
  return {
    dialectOf(path) {
      const byMethod = routesAt(path);
      return (byMethod && [...byMethod.values()][0]?.dialect) ?? fallback;
    },
    find(method, path) {
      const byMethod = routesAt(path);
      if (!byMethod) return undefined;
      const route = byMethod.get(method);
      if (!route) {
        throw new RequestError(405, `${method} is not allowed on ${path}`, { code: "method_not_allowed" });
      }
      return route;
    },
  };
}
