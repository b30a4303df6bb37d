import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ConversationStore } from "../../store/conversation-store.ts";
import { parseJsonBody } from "../parse-json-body.ts";
import { readBody } from "../read-body.ts";
import { RequestError } from "../request-error.ts";
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
 * `/api/conversations` (GET ?q= to search, POST to create) and `/api/conversations/:id`
 * (GET, PATCH, DELETE), of `owner` only (the gateway key's id, or LOCAL_OWNER without keys):
 * another owner's conversation is a 404, as a missing one is. See docs/app-api.md.
 */
export async function handleConversationRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  store: ConversationStore,
  owner: string,
  bodyLimitBytes: number,
): Promise<void> {
  const readPatch = async () => parsePatch(parseJsonBody(await readBody(req, bodyLimitBytes)));
  const id = url.pathname.slice("/api/conversations/".length);
  if (url.pathname === "/api/conversations") {
    if (req.method === "GET") {
      sendJson(res, 200, {
        conversations: store.list(owner, { query: url.searchParams.get("q") ?? undefined }),
      });
      return;
    }
    if (req.method === "POST") {
      sendJson(res, 201, store.create(owner, await readPatch()));
      return;
    }
    throw methodNotAllowed(req);
  }
  if (!id || id.includes("/")) throw notFound(url.pathname);
  let found: unknown;
  if (req.method === "GET") found = store.get(owner, id);
  else if (req.method === "PATCH") found = store.update(owner, id, await readPatch());
  else if (req.method === "DELETE") {
    if (!store.remove(owner, id)) throw notFound(url.pathname);
    res.writeHead(204).end();
    return;
  } else throw methodNotAllowed(req);
  if (found === undefined) throw notFound(url.pathname);
  sendJson(res, 200, found);
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

function methodNotAllowed(req: IncomingMessage): RequestError {
  return new RequestError(405, `${req.method} is not allowed here`, { code: "method_not_allowed" });
}
