import { LlmuxError } from "../core/errors.ts";

/**
 * The calls of a store the gateway serves (conversations, stored Responses), with a database that
 * cannot be reached (PostgreSQL restarting, SQLite locked too long) reported as `busy`: a 503 with
 * Retry-After, which clients retry, instead of an internal error naming the database's address.
 */
export function answerUnreachableAsBusy<T extends object>(calls: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, call] of Object.entries(calls)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (call as (...args: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (!unreachable(error)) throw error;
        throw new LlmuxError("busy", "The gateway's database cannot be reached just now", {
          cause: error,
          retryAfterSeconds: 1,
        });
      }
    };
  }
  return wrapped as T;
}

// Node's socket errors, PostgreSQL's connection exceptions (SQLSTATE 08) and shutdowns (57P01-03),
// pg's own words for a cut connection, SQLite's busy timeout.
function unreachable(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof LlmuxError) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  return (
    /^(E[A-Z]+$|08|57P0[1-3]|SQLITE_BUSY)/.test(code) ||
    /Connection terminated|connection error|timeout exceeded when trying to connect/.test(error.message)
  );
}
