/**
 * Every failure a user can meet is an LlmuxError: one line saying what happened and what to
 * do (`message` + `hint`), and a distinct process exit code per kind. The table below is the
 * single source of the exit codes; the README documents it.
 */
export const EXIT_CODES = {
  internal: 1,
  usage: 2,
  config: 3,
  missing_key: 4,
  auth: 5,
  model_not_found: 6,
  rate_limited: 7,
  provider_error: 8,
  bad_request: 9,
  // Network failures have one kind each, whoever was reached (a provider, a page, a download);
  // classify-network-error.ts maps them. A timeout is any deadline: connect, idle or the whole call.
  timeout: 10,
  // the connection failed otherwise: reset, closed mid-reply, host or network unreachable
  network: 11,
  aborted: 12,
  invalid_output: 13,
  unsupported: 14,
  // `llmux serve`: another process listens on the port
  address_in_use: 15,
  // at capacity: a local model's queue is full, or `llmux serve` holds its most connections
  busy: 16,
  // local models (embedded engine, model store)
  model_file_missing: 20,
  not_gguf: 21,
  corrupt_gguf: 22,
  unsupported_architecture: 23,
  insufficient_memory: 24,
  download_failed: 25,
  checksum_mismatch: 26,
  // network failures (numbered with the reader, where they began)
  dns: 30,
  connection_refused: 31,
  tls: 32,
  // reader (fetching and extracting pages)
  http_status: 33,
  too_large: 35,
  blocked_address: 36,
  unsupported_content: 37,
  nothing_extracted: 38,
  page_too_complex: 39,
  // some of several sources failed (summarize A B C)
  partial_failure: 40,
  interrupted: 130,
} as const;

export type ErrorKind = keyof typeof EXIT_CODES;

export class LlmuxError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  /** When trying again may succeed (a `busy` engine or gateway); the gateway sends it as Retry-After. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { hint?: string; cause?: unknown; status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "LlmuxError";
    this.kind = kind;
    this.hint = options.hint;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }

  /** The one line shown to users: what happened, then what to do. */
  get userMessage(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

export function isLlmuxError(error: unknown): error is LlmuxError {
  return error instanceof LlmuxError;
}
