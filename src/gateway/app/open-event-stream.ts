import type { ServerResponse } from "node:http";

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Aborted when the client goes away before the stream ends. */
  signal: AbortSignal;
}

/** Starts a server-sent event response for the web app's long-running routes. */
export function openEventStream(res: ServerResponse): EventStream {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  });
  return {
    send: (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    signal: controller.signal,
  };
}
