import type { ServerResponse } from "node:http";

/** The headers a cached answer keeps: what describes its body, nothing about the connection or the client. */
const KEPT_HEADERS = ["content-type", "cache-control", "x-llmux-model", "x-llmux-ignored"] as const;

/** What one response wrote, once it has ended within the size bound. */
export interface CapturedResponse {
  headers: Record<string, string>;
  chunks: Buffer[];
  bytes: number;
}

/**
 * Copies what `res` writes (this response only: its write and end are wrapped on the instance)
 * up to `maxBytes`; past that it stops copying and keeps nothing. The function it returns gives
 * the copy once the response has ended with status 200, else undefined.
 */
export function captureResponse(res: ServerResponse, maxBytes: number): () => CapturedResponse | undefined {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (overflow || chunk == null || typeof chunk === "function") return;
    const copy =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : Buffer.from(chunk as Uint8Array);
    bytes += copy.length;
    if (bytes > maxBytes) {
      overflow = true;
      chunks.length = 0;
      return;
    }
    if (copy.length > 0) chunks.push(copy);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse["end"];
  return () => {
    if (overflow || !res.writableEnded || res.statusCode !== 200) return undefined;
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    return { headers, chunks, bytes };
  };
}
