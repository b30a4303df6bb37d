import type { ServerResponse } from "node:http";
import { isLlmuxError } from "../../core/errors.ts";
import { openaiDialect } from "../openai/openai-dialect.ts";
import { RequestError } from "../openai/request-error.ts";
import type { WireDialect } from "./wire-dialect.ts";

/** Answers with the error object for `error` in the client's dialect, unless something was sent already. */
export function sendError(res: ServerResponse, error: unknown, dialect: WireDialect = openaiDialect): void {
  if (res.headersSent || res.destroyed) return;
  const { status, body } = dialect.toErrorResponse(error);
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  };
  // An oversized body may still be arriving: close rather than read it all.
  if (status === 413) headers.connection = "close";
  // A busy model or gateway says when to try again (OpenAI's clients wait that long, then retry).
  if ((isLlmuxError(error) || error instanceof RequestError) && error.retryAfterSeconds !== undefined) {
    headers["retry-after"] = Math.max(1, Math.ceil(error.retryAfterSeconds));
  }
  res.writeHead(status, headers);
  res.end(text);
}
