import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate, inflateRaw } from "node:zlib";
import { request } from "undici";
import { LlmuxError } from "../core/errors.ts";
import { type ContentKind, contentKind } from "./content-kind.ts";
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

interface FetchedPage {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  kind: ContentKind;
  /** Media type without parameters, as the server sent it ("" when none). */
  mediaType: string;
  charset: string;
  body: string;
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

/**
 * Fetches a web page safely: http(s) only, redirects followed by hand (each hop re-checked by
 * the SSRF guard), connect and total timeouts, a size cap on the raw and decompressed body,
 * charset decoding, and only HTML, XHTML, plain text or Markdown accepted.
 */
export async function fetchPage(url: string | URL, options: FetchPageOptions = {}): Promise<FetchedPage> {
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
  try {
    for (let hop = 0; ; hop++) {
      const response = await request(current, {
        dispatcher: agent,
        signal,
        headers: {
          "user-agent": options.userAgent ?? BROWSER_USER_AGENT,
          accept: "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.5",
          "accept-language": "en-US,en;q=0.9,*;q=0.5",
          "accept-encoding": "gzip, deflate, br",
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
      // Refuse unsupported types before downloading them.
      if (mediaType && mediaType !== "application/octet-stream") {
        try {
          contentKind(mediaType, new Uint8Array());
        } catch (error) {
          discard(body);
          throw error;
        }
      }
      const raw = await readCapped(body, current.href, maxBytes).catch((error: unknown) => {
        throw signal.aborted ? signal.reason : toFetchError(error, current.href);
      });
      const encoding = header(headers, "content-encoding").trim().toLowerCase();
      const bytes = await decompress(raw, encoding, current.href, maxBytes);
      const charset = /charset\s*=\s*["']?([^;"'\s]+)/i.exec(contentType)?.[1];
      const decoded = decodeBody(bytes, charset);
      return {
        url: current.href,
        status: statusCode,
        kind: contentKind(mediaType, bytes),
        mediaType,
        charset: decoded.charset,
        body: decoded.text,
        bytes: bytes.length,
      };
    }
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => {});
  }
}
