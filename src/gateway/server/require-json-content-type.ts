import type { IncomingMessage } from "node:http";
import { RequestError } from "../openai/request-error.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * Refuses with a 415 a POST, PUT or PATCH whose body is not declared JSON (parameters such as
 * charset allowed). A form or a text/plain fetch from another site skips the CORS preflight,
 * so without this it could reach every route; a JSON one cannot without a preflight.
 */
export function requireJsonContentType(req: IncomingMessage): void {
  if (!WITH_BODY.has(req.method ?? "")) return;
  const type = req.headers["content-type"];
  if (type?.split(";", 1)[0]?.trim().toLowerCase() === "application/json") return;
  throw new RequestError(
    415,
    `Send the body as JSON, with Content-Type: application/json${type === undefined ? " (none was given)" : ` (not ${JSON.stringify(type.slice(0, 100))})`}`,
    { code: "unsupported_media_type" },
  );
}
