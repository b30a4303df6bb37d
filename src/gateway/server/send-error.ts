import type { ServerResponse } from "node:http";
import { isLlmuxError } from "../../core/errors.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";

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
  // A busy model or gateway says when to try again (OpenAI's clients wait that long, then retry).
  if (isLlmuxError(error) && error.retryAfterSeconds !== undefined) {
    headers["retry-after"] = Math.max(1, Math.ceil(error.retryAfterSeconds));
  }
  res.writeHead(status, headers);
  res.end(text);
}
