import type { IncomingMessage } from "node:http";
import { RequestError } from "../openai/request-error.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * Refuses with a 415 a browser's POST, PUT or PATCH whose body is not declared JSON (parameters
 * such as charset allowed). A form or a text/plain fetch from another site skips the CORS
 * preflight, so without this it could reach every route; a JSON one cannot without a preflight.
 * Browsers send an Origin header with every such request (`null` from sandboxed frames); a
 * request without one is a script's or curl's, which may send JSON with any declared type (curl
 * -d says form-urlencoded, and Ollama's documented examples rely on it being read as JSON).
 */
export function requireJsonContentType(req: IncomingMessage): void {
  if (!WITH_BODY.has(req.method ?? "") || req.headers.origin === undefined) return;
  const type = req.headers["content-type"];
  if (type?.split(";", 1)[0]?.trim().toLowerCase() === "application/json") return;
  throw new RequestError(
    415,
    `Send the body as JSON, with Content-Type: application/json${type === undefined ? " (none was given)" : ` (not ${JSON.stringify(type.slice(0, 100))})`}`,
    { code: "unsupported_media_type" },
  );
}
