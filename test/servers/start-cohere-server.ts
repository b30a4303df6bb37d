import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

const cohereProtocol: WireProtocol = {
  classify(req) {
    if (req.method !== "POST") return undefined;
    if (req.pathname.endsWith("/embed") || req.pathname.endsWith("/rerank")) return "json";
    if (!req.pathname.endsWith("/chat")) return undefined;
    return req.json?.stream === true ? "stream" : "json";
  },
  streamContentType: "text/event-stream",
  // Typed SSE events; per docs.cohere.com/v2/docs/streaming, `message-end` is the last one.
  frame(line) {
    const { type } = JSON.parse(line) as { type: string };
    return `event: ${type}\ndata: ${line}\n\n`;
  },
  errorResponse: (_status, message) => ({ body: { message } }),
};

/**
 * Cohere v2 wire protocol: `POST <prefix>/chat` (the SDK's base URL ends in `/v2`), streamed as
 * `event: <type>\ndata: <payload>` when the body has `stream: true`; `POST <prefix>/embed`
 * and `/rerank` as whole JSON bodies. Errors are `{"message": ...}`.
 */
export function startCohereServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(cohereProtocol, script);
}
