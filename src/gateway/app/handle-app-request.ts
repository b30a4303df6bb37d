import type { IncomingMessage, ServerResponse } from "node:http";
import { createRouteTable, type RouteTable } from "../server/create-route-table.ts";
import { readRequestPath } from "../server/read-request-path.ts";
import { sendError } from "../server/send-error.ts";
import { serveRoute } from "../server/serve-route.ts";
import type { AppContext } from "./app-context.ts";
import { createAppRoutes } from "./create-app-routes.ts";

const tables = new WeakMap<AppContext, RouteTable>();

/**
 * The web app served on its own, for a server of the caller's (the app's tests): its routes
 * (createAppRoutes) through the core's serveRoute, without the gateway's /v1 routes, connection
 * cap or Host and Origin checks. Resolves false, having touched nothing, when no app route has
 * the path. startGateway registers the same routes in its one table instead.
 */
export async function handleAppRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: AppContext,
): Promise<boolean> {
  let table = tables.get(context);
  if (!table) {
    table = createRouteTable(createAppRoutes(context));
    tables.set(context, table);
  }
  let route: ReturnType<RouteTable["find"]>;
  let path: string;
  try {
    path = readRequestPath(req.url ?? "/");
    route = table.find(req.method ?? "GET", path);
  } catch (error) {
    sendError(res, error);
    return true;
  }
  return route !== undefined && serveRoute(route, req, res, path, { keys: context.keys });
}
