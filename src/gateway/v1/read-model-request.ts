import type { IncomingMessage } from "node:http";
import { RequestError } from "../openai/request-error.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import type { GatewayContext } from "./gateway-context.ts";

/** A /v1 request's body (within the size limit), parsed, with the model it names. */
export async function readModelRequest(
  context: GatewayContext,
  req: IncomingMessage,
  modelHint: string,
): Promise<{ body: Buffer; json: Record<string, unknown>; name: string }> {
  const body = await readBody(req, context.config.file.gateway.bodyLimitBytes);
  const json = parseJsonBody(body);
  const name = json.model;
  if (typeof name !== "string" || name === "") {
    throw new RequestError(400, `Missing or invalid model: ${modelHint}`, {
      param: "model",
      code: "invalid_value",
    });
  }
  return { body, json, name };
}
