import { RequestError } from "../openai/request-error.ts";

// Deeper than any request the routes read (tool schemas included), far below where recursive
// readers of the parsed value (JSON.stringify, validators) run out of stack.
const MAX_DEPTH = 128;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The body as a JSON object, or a 400 saying why it is not one. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (nestsDeeperThan(body, MAX_DEPTH)) {
    throw new RequestError(
      400,
      `The request body nests arrays and objects more than ${MAX_DEPTH} levels deep, more than this gateway reads`,
      { code: "invalid_json" },
    );
  }
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
    throw new RequestError(
      400,
      `The request body must be a JSON object, not ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`}`,
      { code: "invalid_json" },
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * Whether `[` and `{` outside strings open more than `max` levels at some point. Strings are
 * skipped with indexOf, so a body of long texts costs little; invalid JSON is left to JSON.parse.
 */
function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      // the closing quote: the next one not escaped by an odd run of backslashes
      for (;;) {
        i = body.indexOf(QUOTE, i + 1);
        if (i < 0) return false;
        let slashes = 0;
        while (body[i - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
  return false;
}
