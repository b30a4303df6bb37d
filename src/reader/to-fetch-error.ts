import { classifyNetworkError } from "../core/classify-network-error.ts";
import { isLlmuxError, LlmuxError } from "../core/errors.ts";

/** Maps a failed page request to the LlmuxError a user sees (the kinds: classify-network-error.ts). */
export function toFetchError(error: unknown, url: string): LlmuxError {
  // The SSRF guard's lookup throws blocked_address inside undici's error.
  for (let e = error, depth = 0; e != null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isLlmuxError(e)) return e;
  }
  const host = URL.canParse(url) ? new URL(url).host : url;
  const message = error instanceof Error ? error.message : String(error);
  return (
    classifyNetworkError(error, { reaching: "page", name: host }) ??
    new LlmuxError("network", `Could not fetch ${url}: ${message}`, {
      hint: "Check your network connection",
      cause: error,
    })
  );
}
