import { RequestError } from "./request-error.ts";

/** The body as a JSON object, or a 400 saying why it is not one. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new RequestError(
      400,
      `The request body is not valid JSON (${(error as Error).message}). Send a JSON object with Content-Type: application/json`,
      { code: "invalid_json" },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RequestError(400, "The request body must be a JSON object", { code: "invalid_json" });
  }
  return parsed as Record<string, unknown>;
}
