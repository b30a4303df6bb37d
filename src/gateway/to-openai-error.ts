import { type ErrorKind, isLlmuxError } from "../core/errors.ts";
import { redactSecrets } from "../core/redact-secrets.ts";
import { RequestError } from "./request-error.ts";

/** The error object of the OpenAI API, as every OpenAI client parses it. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

// HTTP status for failures that carry none of their own (upstream statuses are kept as they are).
const STATUS_OF_KIND: Partial<Record<ErrorKind, number>> = {
  usage: 400,
  bad_request: 400,
  unsupported: 400,
  invalid_output: 502,
  auth: 401,
  missing_key: 500,
  config: 500,
  model_not_found: 404,
  rate_limited: 429,
  provider_error: 502,
  network: 502,
  timeout: 504,
  aborted: 499,
};

/**
 * Any failure as an HTTP status and an OpenAI error body: 4xx are `invalid_request_error`,
 * 5xx `server_error`, 429 `rate_limit_error`; the LlmuxError kind becomes the `code`. Messages
 * are scrubbed of secrets, and carry the hint so the caller knows what to do.
 */
export function toOpenAIError(error: unknown): { status: number; body: OpenAIErrorBody } {
  if (error instanceof RequestError) {
    return {
      status: error.status,
      body: { error: { message: error.message, type: error.type, param: error.param, code: error.code } },
    };
  }
  if (isLlmuxError(error)) {
    const status = error.status ?? STATUS_OF_KIND[error.kind] ?? 500;
    const type =
      status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
    return {
      status,
      body: { error: { message: redactSecrets(error.userMessage), type, param: null, code: error.kind } },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: {
      error: {
        message: redactSecrets(`Internal gateway error: ${message}`),
        type: "server_error",
        param: null,
        code: "internal",
      },
    },
  };
}
