import type { ServerResponse } from "node:http";
import type { AttemptState } from "../v1/attempt-state.ts";
import type { CachedAnswer } from "./cached-answer.ts";

/**
 * Sends a cached answer as the original went out: the same headers (marked `x-llmux-cache: hit`)
 * and the same chunks in order, so a stream arrives as a stream of the same events.
 */
export function replayResponse(res: ServerResponse, answer: CachedAnswer, state: AttemptState): void {
  const headers: Record<string, string | number> = { ...answer.headers, "x-llmux-cache": "hit" };
  if (!answer.stream) headers["content-length"] = answer.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  res.writeHead(200, headers);
  state.committed = true;
  state.firstByteAt = performance.now();
  for (const chunk of answer.chunks) res.write(chunk);
  res.end();
}
