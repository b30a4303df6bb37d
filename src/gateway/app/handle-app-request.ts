import type { IncomingMessage, ServerResponse } from "node:http";
import type Database from "better-sqlite3";
import {
  type ConversationStore,
  createConversationStore,
  LOCAL_OWNER,
} from "../../store/conversation-store.ts";
import { RequestError } from "../request-error.ts";
import { sendError } from "../send-error.ts";
import type { AppContext } from "./app-context.ts";
import { handleConversationRequest } from "./handle-conversation-request.ts";
import { handlePullRequest } from "./handle-pull-request.ts";
import { handleSummarizeRequest } from "./handle-summarize-request.ts";
import { listAppModels } from "./list-app-models.ts";
import { sendJson } from "./send-json.ts";
import { serveWebAsset } from "./serve-web-asset.ts";

const APP_ROUTES = new Set(["/api/models", "/api/summarize", "/api/pull"]);

// One store per database: preparing its statements on every request would cost more than running them.
const stores = new WeakMap<Database.Database, ConversationStore>();

/**
 * The web app and its small JSON API (docs/app-api.md): `/` and `/assets/*`, `GET /api/models`,
 * `/api/conversations[/:id]`, `POST /api/summarize` and `POST /api/pull`. Resolves false, having touched nothing,
 * for any other path, so the gateway can route it on. The API asks for a gateway key exactly as
 * /v1 does (when keys exist); the page itself loads without one so that it can ask for it.
 */
export async function handleAppRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: AppContext,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const { pathname } = url;
  if (!pathname.startsWith("/api/")) {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    return serveWebAsset(pathname, res, context.webRoot, req.method);
  }
  const isConversations = pathname === "/api/conversations" || pathname.startsWith("/api/conversations/");
  if (!APP_ROUTES.has(pathname) && !isConversations) return false;
  try {
    const key = context.keys.authenticate(req.headers.authorization);
    // The key's requests per minute count /api/* as they count /v1 (one counter); /api/pull
    // counts itself, with its model check (KeyGuard.authorize).
    if (key && pathname !== "/api/pull") context.keys.limitRate(key);
    if (pathname === "/api/models") {
      if (req.method !== "GET") throw new RequestError(405, `${req.method} is not allowed here`);
      sendJson(res, 200, await listAppModels(context.config));
    } else if (pathname === "/api/summarize") {
      if (req.method !== "POST") throw new RequestError(405, `${req.method} is not allowed here`);
      await handleSummarizeRequest(req, res, context, key);
    } else if (pathname === "/api/pull") {
      if (req.method !== "POST") throw new RequestError(405, `${req.method} is not allowed here`);
      await handlePullRequest(req, res, context, key);
    } else {
      let store = stores.get(context.database);
      if (!store) {
        store = createConversationStore(context.database);
        stores.set(context.database, store);
      }
      await handleConversationRequest(
        req,
        res,
        url,
        store,
        key?.id ?? LOCAL_OWNER,
        context.config.file.gateway.bodyLimitBytes,
      );
    }
  } catch (error) {
    if (res.headersSent) res.destroy();
    else sendError(res, error);
  }
  return true;
}
