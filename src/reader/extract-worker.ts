// A worker thread of the extraction pool: extracts each page it is sent, off the main thread.
import { parentPort } from "node:worker_threads";
import { isLlmuxError } from "../core/errors.ts";
import { extractContent } from "./extract-content.ts";

export interface ExtractRequest {
  html: string;
  url: string | undefined;
}

export type ExtractReply =
  | { ok: true; content: ReturnType<typeof extractContent> }
  | { ok: false; kind: string | null; message: string; hint: string | undefined };

parentPort?.on("message", ({ html, url }: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { ok: true, content: extractContent(html, { url }) };
  } catch (error) {
    reply = isLlmuxError(error)
      ? { ok: false, kind: error.kind, message: error.message, hint: error.hint }
      : { ok: false, kind: null, message: (error as Error).message, hint: undefined };
  }
  parentPort?.postMessage(reply);
});
