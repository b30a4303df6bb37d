import { RequestError } from "./request-error.ts";

/** A tool call's JSON arguments as sent back by a client (empty: none); a 400 naming `param` when not JSON. */
export function parseToolArguments(text: string, param: string): unknown {
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new RequestError(400, `Invalid value for ${param}: not valid JSON`, {
      param,
      code: "invalid_value",
    });
  }
}
