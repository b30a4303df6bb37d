import { LlmuxError } from "../core/errors.ts";
import { decodeBody } from "./decode-body.ts";

export type ContentKind = "html" | "text" | "markdown" | "pdf" | "feed";

/** What a read source was: a kind of document, or a video (read from its captions). */
export type SourceKind = ContentKind | "video";

const BY_MIME: Record<string, ContentKind> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "application/pdf": "pdf",
  "application/x-pdf": "pdf",
  "application/rss+xml": "feed",
  "application/atom+xml": "feed",
  "application/rdf+xml": "feed",
};

/** Generic XML: a feed when its root element is one (checked on the body). */
const XML_TYPES = new Set(["application/xml", "text/xml"]);

/** Types that say nothing about the content: the first bytes decide. */
const UNTYPED = new Set(["application/octet-stream", "binary/octet-stream", "application/unknown"]);

const HTML_START =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|p|div)\b/i;

/** An RSS 2.0, Atom or RSS 1.0 (RDF) document: its root element, after the prolog. */
const FEED_START =
  /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!doctype[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<(?:rss|feed|(?:[\w-]+:)?RDF)\b/i;

function unsupported(type: string): LlmuxError {
  return new LlmuxError("unsupported_content", `Content type ${type} is not supported`, {
    hint: "llmux reads HTML, XHTML, plain text, Markdown, PDF (with a text layer) and RSS or Atom feeds",
  });
}

/**
 * Whether a declared media type (without parameters) may be worth downloading: one llmux
 * reads, generic XML (a feed, maybe), or none that says anything. Throws unsupported_content
 * for the others (images, archives, JSON…), so they are refused before their body is read.
 */
export function checkMediaType(mediaType: string | undefined): void {
  const declared = mediaType?.split(";")[0]?.trim().toLowerCase();
  if (!declared || UNTYPED.has(declared) || XML_TYPES.has(declared) || BY_MIME[declared]) return;
  throw unsupported(declared);
}

/**
 * What kind of document a body is. A PDF is known by its `%PDF-` magic bytes whatever the
 * declared type; a feed by its root element (`<rss>`, `<feed>`, `<rdf:RDF>`) when the type is
 * generic XML, plain text or none. Otherwise the declared media type (Content-Type without
 * parameters, or one implied by a file extension) decides; without one, the first bytes.
 * Anything else (images, archives, XML that is not a feed…) is unsupported_content naming the type.
 */
export function contentKind(mediaType: string | undefined, bytes: Uint8Array): ContentKind {
  const declared = mediaType?.split(";")[0]?.trim().toLowerCase();
  if (isPdf(bytes)) return "pdf";
  checkMediaType(declared);
  const typed = declared && !UNTYPED.has(declared) ? declared : undefined;
  const kind = typed ? BY_MIME[typed] : undefined;
  if (kind === "pdf" || kind === "feed" || kind === "html" || kind === "markdown") return kind;
  const head = decodeBody(bytes.subarray(0, 2048)).text.replace(/^\ufeff/, "");
  if (FEED_START.test(head)) return "feed";
  if (typed && XML_TYPES.has(typed)) throw unsupported(typed);
  if (kind) return kind;
  if (head.includes("\u0000")) throw unsupported(declared ?? "binary data");
  return HTML_START.test(head) ? "html" : "text";
}

/** The PDF magic bytes `%PDF-` at the start (after blank space at most). */
export function isPdf(bytes: Uint8Array): boolean {
  let at = 0;
  while (at < bytes.length && at < 64 && (bytes[at] === 0x20 || (bytes[at]! >= 0x09 && bytes[at]! <= 0x0d)))
    at++;
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(5, bytes.length - at)).toString("latin1") ===
    "%PDF-"
  );
}
