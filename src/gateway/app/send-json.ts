import type { ServerResponse } from "node:http";

/** A JSON response; errors use the OpenAI-style `{ error: { message, type } }` the gateway speaks. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}
