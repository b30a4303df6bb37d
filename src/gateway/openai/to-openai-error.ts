import { type ErrorKind, isLlmuxError, type LlmuxError } from "../../core/errors.ts";
import { redactSecrets } from "../../core/redact-secrets.ts";
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
  // The gateway has no credentials for the provider asked for. Not a 5xx: OpenAI's SDKs (and most
  // clients) retry 408, 409, 429 and 5xx, and no retry can succeed until the operator sets the key.
  // Not a 401 or 403 either: those say the caller's own gateway key is wrong, and it is not. A 400
  // says "this request cannot be served as it is": the caller may ask for another model.
  missing_key: 400,
  config: 500,
  model_not_found: 404,
  model_file_missing: 404,
  rate_limited: 429,
  provider_error: 502,
  network: 502,
  timeout: 504,
  aborted: 499,
  // a local model's queue or the gateway's connections are full: try again after Retry-After
  busy: 503,
  // reading a page for /app/api/summarize: the page, not the gateway, is at fault
  blocked_address: 403,
  unsupported_content: 415,
  too_large: 413,
  nothing_extracted: 422,
  page_too_complex: 422,
  dns: 502,
  connection_refused: 502,
  tls: 502,
  http_status: 502,
};

// `error.type` where the kind says more than the status class does. Not "missing_api_key": that
// is the code of a request without the caller's own gateway key (create-key-guard.ts).
const TYPE_OF_KIND: Partial<Record<ErrorKind, string>> = {
  missing_key: "missing_provider_key",
};

// Kinds whose hints always address the gateway's operator (set a key, fix the config): the
// HTTP caller is someone else.
const OPERATOR_KINDS: ReadonlySet<ErrorKind> = new Set(["missing_key", "auth", "config"]);

// A hint that names a CLI flag (--render) or command (`llmux pull`) means nothing to an HTTP client.
const SPEAKS_CLI = /(^|[\s(`'"])--[a-z]|`(npx )?llmux\b/;

/**
 * What an HTTP client can do instead, for the kinds above and the kinds whose hints may speak to
 * the person at the CLI; a kind not listed here loses such a hint and keeps its message.
 */
const GATEWAY_HINT_OF_KIND: Partial<Record<ErrorKind, string>> = {
  missing_key:
    "The gateway's operator must set it where the gateway runs (environment, .env or config file); until then, ask for a model of another provider (GET /v1/models lists them)",
  auth: "The provider refused the gateway's own credentials: tell the gateway's operator, or ask for a model of another provider",
  config: "The gateway's configuration needs fixing: tell its operator",
  model_not_found: "GET /v1/models lists the models this gateway serves",
  model_file_missing:
    "The model is not downloaded on the gateway's machine: ask its operator to pull it, or ask for another model (GET /v1/models lists them)",
  // A model or a page (for /app/api/summarize) that took too long: the hint fits both.
  timeout:
    "Try again later: the provider or the site was too slow to answer (the gateway's operator sets model timeouts with gateway.timeoutMs)",
  blocked_address: "This gateway reads only public addresses unless its operator allows private ones",
  too_large: "The page is larger than this gateway reads",
  nothing_extracted: "The page has no readable text; it may be built by JavaScript",
  page_too_complex: "Try another page",
  internal: "If it persists, tell the gateway's operator",
};

/** The one line an HTTP client reads: what happened, then what it can do. */
function gatewayMessage(error: LlmuxError): string {
  const { hint, kind } = error;
  const forCaller =
    hint === undefined || (!OPERATOR_KINDS.has(kind) && !SPEAKS_CLI.test(hint))
      ? hint
      : GATEWAY_HINT_OF_KIND[kind];
  return forCaller ? `${error.message}. ${forCaller}` : error.message;
}

/**
 * Any failure as an HTTP status and an OpenAI error body: 4xx are `invalid_request_error`,
 * 5xx `server_error`, 429 `rate_limit_error` (unless the kind has a type of its own); the
 * LlmuxError kind becomes the `code`. Messages are scrubbed of secrets, and carry the gateway's
 * hint so the caller knows what to do.
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
      TYPE_OF_KIND[error.kind] ??
      (status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
    return {
      status,
      body: { error: { message: redactSecrets(gatewayMessage(error)), type, param: null, code: error.kind } },
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
