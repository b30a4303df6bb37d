import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

// https://docs.anthropic.com/en/api/errors
const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const anthropicProtocol: WireProtocol = {
  classify(req) {
    if (req.method !== "POST") return undefined;
    // Token counting answers one JSON object: script it as `{ json: { input_tokens: N } }`.
    if (req.pathname.endsWith("/messages/count_tokens")) return "json";
    if (!req.pathname.endsWith("/messages")) return undefined;
    return req.json?.stream === true ? "stream" : "json";
  },
  streamContentType: "text/event-stream; charset=utf-8",
  // Every Anthropic event names its type twice: in the SSE `event:` field and in the payload.
  frame(line) {
    const { type } = JSON.parse(line) as { type: string };
    return `event: ${type}\ndata: ${line}\n\n`;
  },
  errorResponse: (status, message) => ({
    body: {
      type: "error",
      error: { type: ERROR_TYPES[status] ?? "api_error", message },
      request_id: "req_test_server",
    },
  }),
};

/**
 * Anthropic Messages wire protocol: `POST <prefix>/messages` (the SDK's base URL ends in `/v1`);
 * when the body has `stream: true`, SSE events `event: <type>\ndata: <payload>` with no terminator.
 * `POST <prefix>/messages/count_tokens` answers the scripted JSON.
 */
export function startAnthropicServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(anthropicProtocol, script);
}
