import type { IncomingMessage } from "node:http";
import { RequestError } from "../openai/request-error.ts";

/**
 * The request body, refused with a 413 once it passes `limit` bytes (at once when Content-Length
 * says so). A single chunk is returned as it is, without a copy.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

function tooLarge(limit: number): RequestError {
  return new RequestError(413, `The request body is larger than the gateway's limit of ${limit} bytes`, {
    code: "request_too_large",
  });
}
