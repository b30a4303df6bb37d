import { LlmuxError } from "../../src/core/errors.ts";

/** The refusal of a database a newer llmux wrote (schema version 99): a config error, hinting to upgrade. */
export function isNewerSchemaError(error: unknown): boolean {
  return (
    error instanceof LlmuxError &&
    error.kind === "config" &&
    /newer llmux/.test(error.message) &&
    /99/.test(error.message) &&
    /[Uu]pgrade llmux/.test(error.hint ?? "")
  );
}
