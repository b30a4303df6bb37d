import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { AttemptState } from "./attempt-state.ts";

/** A translated answer that is not streamed, sent at once: the attempt is committed with it. */
export function sendWholeAnswer(
  res: ServerResponse,
  state: AttemptState,
  headers: OutgoingHttpHeaders,
  body: string,
): void {
  res.writeHead(200, headers);
  state.committed = true;
  state.firstByteAt = performance.now();
  res.end(body);
}
