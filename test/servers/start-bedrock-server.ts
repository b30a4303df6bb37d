import { encodeEventStreamMessage } from "./encode-event-stream-message.ts";
import {
  type ProviderServer,
  type ResponseSpec,
  startProviderServer,
  type WireProtocol,
} from "./start-provider-server.ts";

// Bedrock Runtime error shapes, named in the x-amzn-ErrorType header.
const ERROR_TYPES: Record<number, string> = {
  400: "ValidationException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "ModelTimeoutException",
  424: "ModelErrorException",
  429: "ThrottlingException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

const bedrockProtocol: WireProtocol = {
  classify(req) {
    const action = /^\/model\/[^/]+\/(converse|converse-stream)$/.exec(req.pathname)?.[1];
    if (req.method !== "POST" || action === undefined) return undefined;
    return action === "converse-stream" ? "stream" : "json";
  },
  streamContentType: "application/vnd.amazon.eventstream",
  // Each recorded line is `{ "<eventType>": <payload> }`; on the wire the type travels as a header.
  frame(line) {
    const event = JSON.parse(line) as Record<string, unknown>;
    const [eventType, payload] = Object.entries(event)[0] ?? ["", {}];
    const headers = {
      ":event-type": eventType,
      ":content-type": "application/json",
      ":message-type": "event",
    };
    return encodeEventStreamMessage(headers, new TextEncoder().encode(JSON.stringify(payload)));
  },
  errorResponse(status, message) {
    const type = ERROR_TYPES[status] ?? "InternalServerException";
    return {
      body: { message },
      headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    };
  },
};

/**
 * Amazon Bedrock Runtime Converse wire protocol: `POST /model/{modelId}/converse` (whole JSON) and
 * `/model/{modelId}/converse-stream` (binary AWS event-stream, one message per recorded line, its
 * `:event-type` header the line's top-level key). The SigV4 signature is recorded, not checked.
 * Pass the server's URL itself as the SDK's base URL.
 */
export function startBedrockServer(script: readonly ResponseSpec[]): Promise<ProviderServer> {
  return startProviderServer(bedrockProtocol, script);
}
