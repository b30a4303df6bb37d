import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type ConversationStore, LOCAL_OWNER } from "../../store/conversation-store.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import type { HttpRoute } from "../server/create-route-table.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import { sendJson } from "./send-json.ts";

const nullableCount = z.number().int().nonnegative().nullable().default(null);

const messageSchema = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  model: z.string().nullable().default(null),
  inputTokens: nullableCount,
  outputTokens: nullableCount,
  costUsd: z.number().nonnegative().nullable().default(null),
  latencyMs: nullableCount,
  timeToFirstTokenMs: nullableCount,
  outcome: z.enum(["ok", "aborted", "error"]).nullable().default(null),
});

const patchSchema = z.strictObject({
  title: z.string().max(500).optional(),
  model: z.string().nullable().optional(),
  system: z.string().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  messages: z.array(messageSchema).optional(),
});

/**
 * `/app/api/conversations` (GET ?q= to search, POST to create) and `/app/api/conversations/:id`
 * (GET, PATCH, DELETE), of the caller only (the gateway key's id, or LOCAL_OWNER without keys):
 * another owner's conversation is a 404, as a missing one is. See docs/app-api.md.
 */
export function createConversationRoutes(store: ConversationStore, bodyLimitBytes: number): HttpRoute[] {
  const api = { access: "key", rateLimit: "request" } as const;
  const owner = (key: GatewayKey | undefined) => key?.id ?? LOCAL_OWNER;
  const readPatch = async (req: IncomingMessage) =>
    parsePatch(parseJsonBody(await readBody(req, bodyLimitBytes)));
  // The id after /app/api/conversations/; a 404 for none, or for a deeper path.
  const idOf = (path: string) => {
    const id = path.slice("/app/api/conversations/".length);
    if (!id || id.includes("/")) throw notFound(path);
    return id;
  };
  const sendFound = (res: ServerResponse, path: string, found: unknown) => {
    if (found === undefined) throw notFound(path);
    sendJson(res, 200, found);
  };
  return [
    {
      ...api,
      method: "GET",
      path: "/app/api/conversations",
      handle: async ({ req, res, key }) => {
        const query = new URL(req.url ?? "/", "http://localhost").searchParams.get("q") ?? undefined;
        sendJson(res, 200, { conversations: await store.list(owner(key), { query }) });
      },
    },
    {
      ...api,
      method: "POST",
      path: "/app/api/conversations",
      handle: async ({ req, res, key }) =>
        sendJson(res, 201, await store.create(owner(key), await readPatch(req))),
    },
    {
      ...api,
      method: "GET",
      path: "/app/api/conversations/*",
      handle: async ({ res, path, key }) => sendFound(res, path, await store.get(owner(key), idOf(path))),
    },
    {
      ...api,
      method: "PATCH",
      path: "/app/api/conversations/*",
      handle: async ({ req, res, path, key }) => {
        const id = idOf(path);
        sendFound(res, path, await store.update(owner(key), id, await readPatch(req)));
      },
    },
    {
      ...api,
      method: "DELETE",
      path: "/app/api/conversations/*",
      handle: async ({ res, path, key }) => {
        if (!(await store.remove(owner(key), idOf(path)))) throw notFound(path);
        res.writeHead(204).end();
      },
    },
  ];
}

function parsePatch(body: unknown) {
  const parsed = patchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(body)";
    throw new RequestError(400, `Invalid conversation: ${where}: ${issue?.message ?? "invalid"}`, {
      param: issue ? where : null,
    });
  }
  return parsed.data;
}

function notFound(path: string): RequestError {
  return new RequestError(404, `No conversation at ${path}`, { code: "not_found" });
}
