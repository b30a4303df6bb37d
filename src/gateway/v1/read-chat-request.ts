import type { IncomingMessage } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { allowlistNames } from "./allowlist-names.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { readModelRequest } from "./read-model-request.ts";

/** How a dialect words the refusals of a request it cannot read. */
interface ChatRequestWords {
  /** Follows "Missing or invalid model: ". */
  modelHint: string;
  /** For `messages` that are not an array; absent where the dialect has no messages. */
  messages?: string;
  /** For a `stream` that is not a boolean. */
  stream: string;
  /** The error code these refusals carry, where the dialect gives one. */
  code?: string;
}

/**
 * A chat request (chat completions, Messages, Responses) as its handler reads it first: the body
 * and the model it names, `messages` and `stream` checked, then the key asked whether it may use
 * the model, so a malformed request is a 400 whatever the key.
 */
export async function readChatRequest(
  context: GatewayContext,
  req: IncomingMessage,
  key: GatewayKey | undefined,
  words: ChatRequestWords,
): Promise<{ body: Buffer; json: Record<string, unknown>; name: string }> {
  const request = await readModelRequest(context, req, words.modelHint);
  const { json } = request;
  if (words.messages !== undefined && !Array.isArray(json.messages)) {
    throw new RequestError(400, words.messages, { param: "messages", code: words.code });
  }
  if (json.stream != null && typeof json.stream !== "boolean") {
    throw new RequestError(400, words.stream, { param: "stream", code: words.code });
  }
  if (key) await context.keys.authorize(key, allowlistNames(context, request.name));
  return request;
}
