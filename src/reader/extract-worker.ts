// A worker thread of the extraction pool: parses each document it is sent, off the main thread.
// Each parser loads on its first job (an HTML parser and Readability for pages and feeds,
// pdf.js for PDFs), so a worker reading only PDFs or captions never loads the others.
import { parentPort } from "node:worker_threads";
import { isLlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import type { CaptionTrack, VideoInfo } from "./youtube-captions.ts";

/** One job: the document to parse and how. */
export type ExtractRequest =
  | { type: "html"; html: string; url: string | undefined }
  | { type: "pdf"; data: Uint8Array }
  | { type: "feed"; xml: string; url: string | undefined; limit: number | undefined }
  | { type: "youtube-page"; html: string }
  | { type: "youtube-player"; json: string }
  | { type: "captions"; body: string; video: VideoInfo; track: CaptionTrack };

/** What each job answers. */
export interface ExtractResults {
  html: ExtractedContent;
  pdf: ExtractedContent;
  feed: ExtractedContent;
  "youtube-page": VideoInfo | null;
  "youtube-player": VideoInfo | null;
  captions: ExtractedContent;
}

export type ExtractReply =
  | { ok: true; result: ExtractResults[keyof ExtractResults] }
  | { ok: false; kind: string | null; message: string; hint: string | undefined };

async function run(request: ExtractRequest): Promise<ExtractResults[keyof ExtractResults]> {
  switch (request.type) {
    case "html":
      return (await import("./extract-content.ts")).extractContent(request.html, { url: request.url });
    case "pdf":
      return (await import("./extract-pdf.ts")).extractPdf(request.data);
    case "feed":
      return (await import("./extract-feed.ts")).extractFeed(request.xml, {
        url: request.url,
        limit: request.limit,
      });
    case "youtube-page":
      return (await import("./youtube-captions.ts")).parseWatchPage(request.html);
    case "youtube-player":
      return (await import("./youtube-captions.ts")).parsePlayerJson(request.json);
    case "captions":
      return (await import("./youtube-captions.ts")).captionsToContent(
        request.body,
        request.video,
        request.track,
      );
  }
}

parentPort?.on("message", async (request: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { ok: true, result: await run(request) };
  } catch (error) {
    reply = isLlmuxError(error)
      ? { ok: false, kind: error.kind, message: error.message, hint: error.hint }
      : { ok: false, kind: null, message: (error as Error).message, hint: undefined };
  }
  parentPort?.postMessage(reply);
});
