import { readFile, stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LlmuxError } from "../core/errors.ts";
import { type ContentKind, contentKind } from "./content-kind.ts";
import { decodeBody } from "./decode-body.ts";
import { type FetchPageOptions, fetchPage, xmlEncoding } from "./fetch-page.ts";

export interface LoadSourceOptions extends FetchPageOptions {
  /** Read for the source "-". Default process.stdin. */
  stdin?: Readable;
}

interface LoadedSource {
  /** The final URL, a file: URL for local files, or "stdin". */
  url: string;
  kind: ContentKind;
  /** The body as text ("" for a PDF). */
  body: string;
  /** The body's bytes. */
  data: Uint8Array;
}

const MEDIA_TYPE_BY_EXTENSION: Record<string, string> = {
  ".html": "text/html",
  ".htm": "text/html",
  ".xhtml": "application/xhtml+xml",
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".txt": "text/plain",
  ".pdf": "application/pdf",
  ".rss": "application/rss+xml",
  ".atom": "application/atom+xml",
  ".xml": "application/xml",
};

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

function tooLarge(what: string, maxBytes: number): LlmuxError {
  return new LlmuxError("too_large", `${what} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, {
    hint: "raise the size limit (--max-bytes) if you trust this input",
  });
}

async function readStdin(stdin: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) {
      stdin.destroy();
      throw tooLarge("Standard input", maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function readLocalFile(path: string, maxBytes: number): Promise<LoadedSource> {
  const info = await stat(path).catch((error: unknown) => {
    throw new LlmuxError("usage", `No such file: ${path}`, {
      hint: "check the path; web pages need an http:// or https:// URL",
      cause: error,
    });
  });
  if (!info.isFile()) throw new LlmuxError("usage", `Not a file: ${path}`);
  if (info.size > maxBytes) throw tooLarge(path, maxBytes);
  const bytes = await readFile(path);
  return {
    url: pathToFileURL(resolve(path)).href,
    ...fromBytes(bytes, MEDIA_TYPE_BY_EXTENSION[extname(path).toLowerCase()]),
  };
}

function fromBytes(data: Uint8Array, mediaType: string | undefined): Omit<LoadedSource, "url"> {
  const kind = contentKind(mediaType, data);
  if (kind === "pdf") return { kind, body: "", data };
  return { kind, body: decodeBody(data, kind === "feed" ? xmlEncoding(data) : undefined).text, data };
}

/**
 * Loads a page from an http(s) URL (fetched safely, see fetchPage), a local file (.html, .htm,
 * .xhtml, .md, .markdown, .txt, .pdf, .rss, .atom, .xml; other names are sniffed) or "-" for
 * standard input.
 */
export async function loadSource(
  source: string | URL,
  options: LoadSourceOptions = {},
): Promise<LoadedSource> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (source === "-") {
    const bytes = await readStdin(options.stdin ?? process.stdin, maxBytes);
    return { url: "stdin", ...fromBytes(bytes, undefined) };
  }
  const text = String(source);
  if (/^file:/i.test(text)) return readLocalFile(fileURLToPath(text), maxBytes);
  // A scheme of two letters or more: a URL (a single letter would be a Windows drive).
  if (/^[a-z][a-z0-9+.-]+:/i.test(text)) {
    const { url, kind, body, data } = await fetchPage(text, options);
    return { url, kind, body, data };
  }
  return readLocalFile(text, maxBytes);
}
