/**
 * A request the gateway refuses before any model is called: bad JSON, a field it cannot honour,
 * a missing or unknown key, a limit reached. It carries the OpenAI error object's fields.
 */
export class RequestError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  /** Sent as Retry-After (a rate limit: when the key may ask again). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    message: string,
    options: { type?: string; code?: string | null; param?: string | null; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "RequestError";
    this.status = status;
    this.type = options.type ?? "invalid_request_error";
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
