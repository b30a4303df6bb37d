import type { OpenAIErrorBody } from "../../../src/gateway/app/app-api-types.ts";

/** A failure the gateway reported (its OpenAI-style error body), or one of the connection. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;

  constructor(message: string, status: number, code: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  /** The error a non-2xx response carries, from `{ error: { message, code } }` when it has one. */
  static async from(response: Response): Promise<ApiError> {
    // Not every failed answer has the error object: a proxy in between may send its own page.
    const body = (await response.json().catch(() => null)) as Partial<OpenAIErrorBody> | null;
    const message = body?.error?.message ?? `${response.status} ${response.statusText}`;
    return new ApiError(message, response.status, body?.error?.code ?? null);
  }
}
