import { LlmuxError } from "../core/errors.ts";
import { decodeBody } from "./decode-body.ts";

export type ContentKind = "html" | "text" | "markdown";

const BY_MIME: Record<string, ContentKind> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
};

const HTML_START =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|p|div)\b/i;

function unsupported(type: string): LlmuxError {
  return new LlmuxError("unsupported_content", `Content type ${type} is not supported`, {
    hint: "llmux reads HTML, XHTML, plain text and Markdown pages",
  });
}

/**
 * What kind of document a body is, from its declared media type (Content-Type without
 * parameters, or one implied by a file extension); without one, from the first bytes.
 * Anything else (PDF, images, archives…) is unsupported_content naming the type.
 */
export function contentKind(mediaType: string | undefined, bytes: Uint8Array): ContentKind {
  const declared = mediaType?.split(";")[0]?.trim().toLowerCase();
  if (declared && declared !== "application/octet-stream") {
    const kind = BY_MIME[declared];
    if (!kind) throw unsupported(declared);
    return kind;
  }
  const head = decodeBody(bytes.subarray(0, 1024)).text;
  if (head.startsWith("%PDF-")) throw unsupported("application/pdf");
  if (head.includes("\u0000")) throw unsupported(declared ?? "binary data");
  return HTML_START.test(head) ? "html" : "text";
}
