import { RequestError } from "../openai/request-error.ts";

/**
 * The path the routes match, without its query string. Refuses with a 400 a request target the
 * routes cannot read: one that is not a path (an absolute URL, `*`, `//host`) or whose path has a
 * malformed percent-encoding (`%zz`, `%E0%A4%A`).
 */
export function readRequestPath(target: string): string {
  if (!target.startsWith("/") || target.startsWith("//")) {
    throw new RequestError(400, `The request URL must be a path starting with one /, not ${shown(target)}`, {
      code: "invalid_url",
    });
  }
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  try {
    decodeURIComponent(path);
  } catch {
    throw new RequestError(
      400,
      `The request URL's path ${shown(path)} has a malformed percent-encoding: each % must start a UTF-8 byte as two hex digits`,
      { code: "invalid_url" },
    );
  }
  return path;
}

function shown(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
