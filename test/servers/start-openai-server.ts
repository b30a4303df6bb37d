import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

const ERROR_CODES: Record<number, string> = {
  401: "invalid_api_key",
  404: "model_not_found",
  429: "rate_limit_exceeded",
};

// The usage-only chunk OpenAI appends (empty `choices`, non-null `usage`) when include_usage is on.
function isUsageOnlyChunk(line: string): boolean {
  const event: unknown = JSON.parse(line);
  return (
    isRecord(event) && Array.isArray(event.choices) && event.choices.length === 0 && isRecord(event.usage)
  );
}

// A Responses API event (`{"type": "response.created", ...}`); chat chunks have no `type`.
function responsesEventType(line: string): string | undefined {
  const event: unknown = JSON.parse(line);
  return isRecord(event) && typeof event.type === "string" ? event.type : undefined;
}

const openAIProtocol: WireProtocol = {
  classify(req) {
    if (req.method !== "POST") return undefined;
    if (req.pathname.endsWith("/embeddings")) return "json";
    if (!req.pathname.endsWith("/completions") && !req.pathname.endsWith("/responses")) return undefined;
    return req.json?.stream === true ? "stream" : "json";
  },
  streamContentType: "text/event-stream; charset=utf-8",
  // The Responses API names each event's type in an `event:` line too.
  frame(line) {
    const type = responsesEventType(line);
    return type === undefined ? `data: ${line}\n\n` : `event: ${type}\ndata: ${line}\n\n`;
  },
  streamEnd: (req) => (req.pathname.endsWith("/responses") ? undefined : "data: [DONE]\n\n"),
  selectEvents(lines, req) {
    const options = req.json?.stream_options;
    if (isRecord(options) && options.include_usage === true) return lines;
    return lines.filter((line) => !isUsageOnlyChunk(line));
  },
  errorResponse: (status, message) => ({
    body: {
      error: {
        message,
        type: status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error",
        param: null,
        code: ERROR_CODES[status] ?? null,
      },
    },
  }),
};

/**
 * OpenAI chat completions wire protocol, as every OpenAI-compatible API speaks it: `POST
 * <any prefix>/chat/completions` (and legacy `/completions`), SSE `data:` events ending in
 * `data: [DONE]` when the body has `stream: true`; `POST <any prefix>/embeddings`. The
 * trailing usage-only chunk is sent only when the request sets `stream_options.include_usage`.
 * OpenAI's Responses API too, scripted inline (no recordings exist): `POST <prefix>/responses`,
 * a Response object, or `event: <type>` + `data:` events with no `[DONE]` when streamed.
 */
export function startOpenAIServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(openAIProtocol, script);
}
