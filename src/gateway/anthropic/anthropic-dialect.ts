import { toOpenAIError } from "../openai/to-openai-error.ts";
import type { WireDialect } from "../server/wire-dialect.ts";

/** Anthropic's error object, as its SDKs parse it (https://docs.anthropic.com/en/api/errors). */
interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
}

// The statuses Anthropic documents, with their error types.
const TYPE_OF_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/**
 * Anthropic's wire format: /v1/messages and /v1/messages/count_tokens. The status comes from the
 * gateway's one mapping (toOpenAIError), moved onto the nearest status Anthropic documents: a busy
 * gateway or model (503) is Anthropic's 529 overloaded, which its clients retry; another 4xx is
 * an invalid request, another 5xx an api_error (500).
 */
export const anthropicDialect: WireDialect = {
  name: "anthropic",
  toErrorResponse(error: unknown): { status: number; body: AnthropicErrorBody } {
    const openai = toOpenAIError(error);
    const status =
      openai.status in TYPE_OF_STATUS
        ? openai.status
        : openai.status === 503
          ? 529
          : openai.status >= 500
            ? 500
            : 400;
    return {
      status,
      body: { type: "error", error: { type: TYPE_OF_STATUS[status]!, message: openai.body.error.message } },
    };
  },
};
