import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

// google.rpc.Code names Gemini puts in `error.status`.
const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const JSON_METHODS = new Set([
  "generateContent",
  "countTokens",
  "embedContent",
  "batchEmbedContents",
  "predict",
]);

const geminiProtocol: WireProtocol = {
  classify(req) {
    const method = /\/models\/[^/]+:([A-Za-z]+)$/.exec(req.pathname)?.[1];
    if (req.method !== "POST" || method === undefined) return undefined;
    if (JSON_METHODS.has(method)) return "json";
    // Without alt=sse Gemini streams one JSON array instead, which this server does not speak.
    const sse = new URLSearchParams(req.path.slice(req.pathname.length)).get("alt") === "sse";
    return method === "streamGenerateContent" && sse ? "stream" : undefined;
  },
  streamContentType: "text/event-stream",
  // Gemini (and Vertex) end each SSE event with CRLF CRLF; there is no terminator event.
  frame: (line) => `data: ${line}\r\n\r\n`,
  jsonContentType: "application/json; charset=UTF-8",
  errorResponse: (status, message) => ({
    body: { error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } },
  }),
};

/**
 * Gemini API (and Vertex AI publisher-model) wire protocol: `POST <prefix>/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` (one `data:` event per recorded line), `:embedContent`,
 * `:batchEmbedContents`, `:countTokens` and Vertex `:predict` (whole JSON bodies).
 * The SDK's base URL ends in `/v1beta`.
 */
export function startGeminiServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(geminiProtocol, script);
}
