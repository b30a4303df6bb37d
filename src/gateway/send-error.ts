import type { ServerResponse } from "node:http";
import { toOpenAIError } from "./to-openai-error.ts";

/** Answers with the OpenAI error object for `error`, unless something was sent already. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const { status, body } = toOpenAIError(error);
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  };
  // An oversized body may still be arriving: close rather than read it all.
  if (status === 413) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(text);
}
