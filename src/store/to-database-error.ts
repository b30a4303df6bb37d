import { LlmuxError } from "../core/errors.ts";

/**
 * Why a PostgreSQL server could not be used, as one LlmuxError whose kind picks the exit code.
 * `where` is the URL with its password hidden; the driver's own message never holds the password.
 */
export function toDatabaseError(error: unknown, where: string): LlmuxError {
  if (error instanceof LlmuxError) return error;
  const code = String((error as { code?: unknown }).code ?? "");
  const reason = (error as Error).message;
  const fail = (kind: LlmuxError["kind"], message: string, hint: string) =>
    new LlmuxError(kind, message, { hint, cause: error });
  if (code === "ECONNREFUSED") {
    return fail(
      "connection_refused",
      `PostgreSQL refused the connection at ${where}`,
      "Is the server running? Check the host and port of LLMUX_DATABASE_URL (or database.url)",
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return fail("dns", `The database host of ${where} was not found`, "Check the host name in the URL");
  }
  if (code === "ETIMEDOUT" || /timeout/i.test(reason)) {
    return fail(
      "timeout",
      `PostgreSQL at ${where} did not answer in time`,
      "Check the host, port and firewall",
    );
  }
  if (code === "28P01" || code === "28000") {
    return fail(
      "auth",
      `PostgreSQL at ${where} refused the login (${reason})`,
      "Check the user and password in the URL",
    );
  }
  if (code === "3D000") {
    return fail(
      "config",
      `${reason} (${where})`,
      "Create it (createdb), or name another database in the URL",
    );
  }
  if (code === "ECONNRESET" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "57P03") {
    return fail(
      "network",
      `Could not reach PostgreSQL at ${where} (${code})`,
      "Check the server and the network",
    );
  }
  return fail(
    "config",
    `Could not use the database ${where}: ${reason}`,
    "Check LLMUX_DATABASE_URL (or database.url)",
  );
}
