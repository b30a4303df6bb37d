import { headerValue, type UpstreamHeaders } from "./relay-upstream.ts";

/**
 * A passed-through answer's headers, from its upstream's: its content type (or `contentType`
 * when it named none), its length when the answer is whole (so the client gets one framed body,
 * not chunks), and the upstream's request id under `requestIdHeader`.
 */
export function relayedHeaders(
  upstream: UpstreamHeaders,
  stream: boolean,
  contentType: string,
  requestIdHeader?: string,
): Record<string, string> {
  const out: Record<string, string> = {
    "content-type": headerValue(upstream["content-type"]) ?? contentType,
  };
  const length = headerValue(upstream["content-length"]);
  if (!stream && length !== undefined) out["content-length"] = length;
  const requestId = requestIdHeader && headerValue(upstream[requestIdHeader]);
  if (requestId) out[requestIdHeader!] = requestId;
  return out;
}
