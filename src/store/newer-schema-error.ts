import { LlmuxError } from "../core/errors.ts";

/**
 * The error for a database whose schema a newer llmux wrote: the same words for SQLite and
 * PostgreSQL. `where` is the file, or the URL with its password hidden.
 */
export function newerSchemaError(where: string, version: number, known: number): LlmuxError {
  return new LlmuxError(
    "config",
    `The database ${where} was written by a newer llmux (schema version ${version}; this llmux knows up to ${known})`,
    { hint: "Upgrade llmux (npm install -g llmux@latest) to use it" },
  );
}
