import type { LanguageModelV3FilePart } from "@ai-sdk/provider";
import { RequestError } from "../openai/request-error.ts";

// Ollama sends images as bare base64; the provider layer wants their type, read from the first bytes.
const IMAGE_TYPES: [string, string][] = [
  ["iVBORw0KGgo", "image/png"],
  ["/9j/", "image/jpeg"],
  ["R0lGOD", "image/gif"],
  ["UklGR", "image/webp"],
];

/** An image of a message, as Ollama sends it (base64, no data: prefix). */
export function toOllamaImage(image: string, param: string): LanguageModelV3FilePart {
  const mediaType = IMAGE_TYPES.find(([prefix]) => image.startsWith(prefix))?.[1];
  if (!mediaType) {
    throw new RequestError(400, `invalid ${param}: expected a base64 PNG, JPEG, GIF or WebP image`, {
      param,
      code: "invalid_value",
    });
  }
  return { type: "file", mediaType, data: image };
}
