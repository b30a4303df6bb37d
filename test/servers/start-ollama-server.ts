import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

const ollamaProtocol: WireProtocol = {
  classify(req) {
    if (req.method === "GET" && req.pathname.endsWith("/api/tags")) return "json";
    if (req.method !== "POST") return undefined;
    if (req.pathname.endsWith("/api/embed") || req.pathname.endsWith("/api/show")) return "json";
    if (!req.pathname.endsWith("/api/chat") && !req.pathname.endsWith("/api/generate")) return undefined;
    // Ollama streams unless told not to.
    return req.json?.stream === false ? "json" : "stream";
  },
  streamContentType: "application/x-ndjson",
  frame: (line) => `${line}\n`,
  jsonContentType: "application/json; charset=utf-8",
  errorResponse: (_status, message) => ({ body: { error: message } }),
};

/**
 * Ollama native API, per its docs/api.md: `POST /api/chat` and `POST /api/generate` (NDJSON stream
 * unless the body has `stream: false`), `POST /api/embed`, `POST /api/show`, `GET /api/tags`; errors are `{"error": "..."}`.
 * No recorded Ollama responses exist: script it with `ollamaResponses` or inline bodies.
 * The ollama-ai-provider-v2 base URL is the server's URL + "/api".
 */
export function startOllamaServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(ollamaProtocol, script);
}
