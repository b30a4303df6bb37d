import type { LanguageModelV3FilePart } from "@ai-sdk/provider";
import { RequestError } from "./request-error.ts";

/** A base64 `data:` URL as a provider file part; a 400 naming `param` for anything else. */
export function fromDataUrl(url: string, param: string): LanguageModelV3FilePart {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,/.exec(url);
  if (!match) {
    throw new RequestError(400, `Invalid value for ${param}: expected a base64 data: URL`, {
      param,
      code: "invalid_value",
    });
  }
  return { type: "file", mediaType: match[1]!, data: url.slice(match[0].length) };
}
