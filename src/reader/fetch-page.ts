import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate, inflateRaw } from "node:zlib";
import { request } from "undici";
import { LlmuxError } from "../core/errors.ts";
import { type ContentKind, checkMediaType, contentKind } from "./content-kind.ts";
import { createGuardedAgent, type GuardOptions } from "./create-guarded-agent.ts";
import { decodeBody } from "./decode-body.ts";
import { toFetchError } from "./to-fetch-error.ts";

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface FetchPageOptions extends GuardOptions {
  /** Whole fetch, redirects and body included. Default 30 s. */
  timeoutMs?: number;
  /** Cap on the body, enforced while reading and again on the decompressed size. Default 10 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
}

export interface FetchResourceOptions extends FetchPageOptions {
  /** Extra request headers (a cookie, another Accept). */
  headers?: Record<string, string>;
  /** Default GET. A POST's redirect (301, 302, 303) is followed with a GET, as browsers do. */
  method?: "GET" | "POST";
  /** The request body of a POST. */
  requestBody?: string;
  /**
   * Called with the response's media type (without parameters, "" when none) before its body
   * is read; throws to refuse it. Default: any type.
   */
  checkMediaType?: (mediaType: string) => void;
}

interface FetchedResource {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** Media type without parameters, as the server sent it ("" when none). */
  mediaType: string;
  /** The charset parameter of Content-Type, when there is one. */
  headerCharset: string | undefined;
  /** The body, decompressed. */
  data: Buffer;
}

interface FetchedPage {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  kind: ContentKind;
  /** Media type without parameters, as the server sent it ("" when none). */
  mediaType: string;
  charset: string;
  /** The body as text ("" for a PDF: see data). */
  body: string;
  /** The body, decompressed. */
  data: Buffer;
  /** Decompressed size in bytes. */
  bytes: number;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

function tooLarge(url: string, maxBytes: number): LlmuxError {
  return new LlmuxError("too_large", `${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, {
    hint: "raise the size limit (--max-bytes) if you trust this page",
  });
}

async function readCapped(body: AsyncIterable<Uint8Array>, url: string, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(url, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const unzip = {
  gzip: promisify(gunzip),
  "x-gzip": promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: promisify(inflate),
};
const unzipRaw = promisify(inflateRaw);

/** Decompresses with a cap on the output, so a small "zip bomb" fails as soon as it passes the cap. */
async function decompress(raw: Buffer, encoding: string, url: string, maxBytes: number): Promise<Buffer> {
  if (encoding === "" || encoding === "identity") return raw;
  const method = unzip[encoding as keyof typeof unzip];
  if (!method) {
    throw new LlmuxError("unsupported_content", `Content encoding ${encoding} is not supported`, {
      hint: "the server sent a compression llmux cannot decode",
    });
  }
  const options = { maxOutputLength: maxBytes };
  try {
    return await method(raw, options);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(url, maxBytes);
    // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
    if (encoding === "deflate") return unzipRaw(raw, options).catch(() => Promise.reject(error));
    throw new LlmuxError("network", `Could not decompress the ${encoding} body of ${url}`, { cause: error });
  }
}

/** Drops a body we will not read (destroy() alone would surface an AbortError later). */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on("error", () => {});
  body.destroy();
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function checkProtocol(url: URL, what: string): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LlmuxError("usage", `${what} ${url.href} is not an http(s) URL`, {
      hint: "llmux fetches http:// and https:// pages, local files and - (stdin)",
    });
  }
}

const PAGE_ACCEPT =
  "text/html,application/xhtml+xml,application/pdf;q=0.9,application/rss+xml;q=0.9,application/atom+xml;q=0.9,text/markdown;q=0.9,application/xml;q=0.8,text/plain;q=0.8,*/*;q=0.5";

/**
 * Fetches a web page safely: http(s) only, redirects followed by hand (each hop re-checked by
 * the SSRF guard), connect and total timeouts, a size cap on the raw and decompressed body,
 * charset decoding, and only what the reader reads accepted: HTML, XHTML, plain text, Markdown,
 * PDF, RSS and Atom feeds (see contentKind). A PDF's body is its bytes (`data`), not text.
 */
export async function fetchPage(url: string | URL, options: FetchPageOptions = {}): Promise<FetchedPage> {
  const fetched = await fetchResource(url, {
    ...options,
    headers: { accept: PAGE_ACCEPT },
    // Refuse unsupported types before downloading them.
    checkMediaType,
  });
  const kind = contentKind(fetched.mediaType, fetched.data);
  const decoded =
    kind === "pdf"
      ? { text: "", charset: "binary" }
      : decodeBody(
          fetched.data,
          fetched.headerCharset ?? (kind === "feed" ? xmlEncoding(fetched.data) : undefined),
        );
  return {
    url: fetched.url,
    status: fetched.status,
    kind,
    mediaType: fetched.mediaType,
    charset: decoded.charset,
    body: decoded.text,
    data: fetched.data,
    bytes: fetched.data.length,
  };
}

/** The encoding an XML document declares (`<?xml version="1.0" encoding="ISO-8859-1"?>`). */
export function xmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString("latin1");
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
}

/**
 * Fetches any resource with fetchPage's safety rules (SSRF guard on every hop, timeouts, size
 * caps, decompression), returning its bytes; `checkMediaType` may refuse a type before the body
 * is read.
 */
export async function fetchResource(
  url: string | URL,
  options: FetchResourceOptions = {},
): Promise<FetchedResource> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new LlmuxError("usage", `Not a valid URL: ${String(url)}`);
  }
  checkProtocol(current, "URL");

  const agent = createGuardedAgent(options);
  const controller = new AbortController();
  const timedOut = new LlmuxError(
    "timeout",
    `Fetching ${current.href} took longer than ${timeoutMs / 1000} s`,
    {
      hint: "The site is slow; try again later or raise --timeout",
    },
  );
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let method = options.method ?? "GET";
  let requestBody = options.requestBody;
  try {
    for (let hop = 0; ; hop++) {
      const response = await request(current, {
        dispatcher: agent,
        signal,
        method,
        body: requestBody,
        headers: {
          "user-agent": options.userAgent ?? BROWSER_USER_AGENT,
          accept: "*/*",
          "accept-language": "en-US,en;q=0.9,*;q=0.5",
          "accept-encoding": "gzip, deflate, br",
          ...options.headers,
        },
      }).catch((error: unknown) => {
        throw signal.aborted ? signal.reason : toFetchError(error, current.href);
      });
      const { statusCode, headers, body } = response;
      const location = header(headers, "location");
      if (statusCode >= 300 && statusCode < 400 && location) {
        discard(body);
        if (hop >= maxRedirects) {
          throw new LlmuxError("http_status", `Too many redirects (more than ${maxRedirects}) from ${url}`, {
            hint: "the site redirects in a loop; open it in a browser to see where it goes",
            status: statusCode,
          });
        }
        current = new URL(location, current);
        checkProtocol(current, "Redirect to");
        if (statusCode !== 307 && statusCode !== 308) {
          method = "GET";
          requestBody = undefined;
        }
        continue;
      }
      if (statusCode >= 400) {
        discard(body);
        throw new LlmuxError("http_status", `${current.href} answered HTTP ${statusCode}`, {
          hint: statusCode >= 500 ? "the site has a problem; try again later" : "check the address",
          status: statusCode,
        });
      }
      const contentType = header(headers, "content-type");
      const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
      const declaredLength = Number(header(headers, "content-length"));
      if (declaredLength > maxBytes) {
        discard(body);
        throw tooLarge(current.href, maxBytes);
      }
      try {
        options.checkMediaType?.(mediaType);
      } catch (error) {
        discard(body);
        throw error;
      }
      const raw = await readCapped(body, current.href, maxBytes).catch((error: unknown) => {
        throw signal.aborted ? signal.reason : toFetchError(error, current.href);
      });
      const encoding = header(headers, "content-encoding").trim().toLowerCase();
      const data = await decompress(raw, encoding, current.href, maxBytes);
      return {
        url: current.href,
        status: statusCode,
        mediaType,
        headerCharset: /charset\s*=\s*["']?([^;"'\s]+)/i.exec(contentType)?.[1],
        data,
      };
    }
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => {});
  }
}
