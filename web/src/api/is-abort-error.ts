/** Whether a call failed because its AbortSignal fired: the user stopped it, nothing went wrong. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
