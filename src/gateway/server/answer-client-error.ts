import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { RequestError } from "../openai/request-error.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";

/**
 * Node's `clientError`: a request it could not parse (a malformed header, a bad Content-Length,
 * headers too large) or that took too long to arrive. Answered, as every refusal of the gateway
 * is, with the OpenAI error object naming the problem, then the connection closed; node's own
 * answer is a bare status line.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const refusal =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new RequestError(431, "The request's headers are larger than the gateway reads", {
          code: "headers_too_large",
        })
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new RequestError(408, "The request did not arrive in time", { code: "request_timeout" })
        : new RequestError(
            400,
            `The request is not valid HTTP (${error.code ?? "parse error"}: ${error.message})`,
            { code: "malformed_request" },
          );
  const { status, body } = toOpenAIError(refusal);
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}
