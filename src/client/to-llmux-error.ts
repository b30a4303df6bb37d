import { APICallError, LoadAPIKeyError, NoObjectGeneratedError, NoSuchModelError, RetryError } from "ai";
import { classifyNetworkError } from "../core/classify-network-error.ts";
import { type ErrorKind, isLlmuxError, LlmuxError } from "../core/errors.ts";
import { redactSecrets } from "../core/redact-secrets.ts";

interface ErrorContext {
  /** The model reference, e.g. "anthropic:claude-sonnet-4-5". */
  reference: string;
  /** The provider's label, e.g. "Anthropic". */
  providerLabel: string;
  /** The env vars holding this provider's key, named in 401/403 hints. */
  keyEnv: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Maps whatever a provider call threw (AI SDK errors, fetch failures, aborts) to an LlmuxError
 * with one line saying what happened and what to do. Provider messages are passed through
 * (they are often the most useful part) with any secret scrubbed.
 */
export function toLlmuxError(error: unknown, context: ErrorContext): LlmuxError {
  if (isLlmuxError(error)) return error;
  const cause = RetryError.isInstance(error) ? (error.lastError ?? error) : error;
  if (isLlmuxError(cause)) return cause;
  const { reference, providerLabel } = context;
  const make = (kind: ErrorKind, message: string, hint: string, status?: number) =>
    new LlmuxError(kind, redactSecrets(message, context.env), { hint, cause: error, status });

  if (isAbort(cause)) {
    return cause instanceof DOMException && cause.name === "TimeoutError"
      ? make(
          "timeout",
          `${reference} did not answer in time`,
          "Try again, or raise the timeout (--timeout or timeoutMs in config)",
        )
      : make("aborted", `The call to ${reference} was stopped`, "Nothing to do: it was cancelled on request");
  }
  if (LoadAPIKeyError.isInstance(cause)) {
    const variable = context.keyEnv[0] ?? "the provider's API key variable";
    return make("missing_key", `No API key for ${providerLabel}`, `Set ${variable}`);
  }
  if (NoSuchModelError.isInstance(cause)) {
    return make(
      "model_not_found",
      `${providerLabel} has no model "${cause.modelId}"`,
      "Run `llmux models` to see the catalog",
    );
  }
  if (NoObjectGeneratedError.isInstance(cause)) {
    return make(
      "invalid_output",
      `${reference} did not return JSON matching the schema`,
      "Try again, or use a stronger model",
    );
  }
  const network = classifyNetworkError(cause, { reaching: "provider", name: providerLabel });
  if (network) return make(network.kind, network.message, network.hint ?? "");
  if (APICallError.isInstance(cause)) return fromApiCallError(cause, context, make);
  const message = cause instanceof Error ? cause.message : String(cause);
  return make(
    "internal",
    `Unexpected error from ${reference}: ${message}`,
    "Run again with --debug and report it if it persists",
  );
}

type Make = (kind: ErrorKind, message: string, hint: string, status?: number) => LlmuxError;

function fromApiCallError(error: APICallError, context: ErrorContext, make: Make): LlmuxError {
  const { reference, providerLabel } = context;
  const status = error.statusCode;
  if (status === undefined) {
    return make(
      "network",
      `Could not reach ${providerLabel} (${error.message})`,
      "Check your connection and the base URL",
    );
  }
  const detail = providerMessage(error);
  const said = detail ? `: ${detail}` : "";
  if (status === 401 || status === 403) {
    const variable = context.keyEnv[0];
    return make(
      "auth",
      `${providerLabel} refused the credentials (${status})${said}`,
      variable
        ? `Check ${variable}: is the key valid and allowed to use this model?`
        : "Check the credentials",
      status,
    );
  }
  if (status === 404) {
    return make(
      "model_not_found",
      `${providerLabel} does not know ${reference} (404)${said}`,
      "Check the model name; `llmux models` lists the catalog",
      status,
    );
  }
  if (status === 429) {
    return make(
      "rate_limited",
      `${providerLabel} is rate-limiting requests (429)${said}`,
      "Wait a moment and retry, or check your plan's quota",
      status,
    );
  }
  if (status === 408 || status === 504) {
    return make("timeout", `${providerLabel} timed out (${status})${said}`, "Try again in a moment", status);
  }
  if (status >= 500) {
    return make(
      "provider_error",
      `${providerLabel} had a server error (${status})${said}`,
      "Try again in a moment; check the provider's status page",
      status,
    );
  }
  return make(
    "bad_request",
    `${providerLabel} rejected the request (${status})${said}`,
    "Check the options you passed for this model",
    status,
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** The human part of a provider's error body, whatever its shape. */
function providerMessage(error: APICallError): string | undefined {
  const body = error.responseBody;
  if (!body) return undefined;
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const nested = json.error;
    const message =
      typeof nested === "object" && nested !== null
        ? (nested as { message?: unknown }).message
        : typeof nested === "string"
          ? nested
          : json.message;
    if (typeof message === "string" && message) return oneLine(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return oneLine(body);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
