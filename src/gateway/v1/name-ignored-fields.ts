/** Names in `x-llmux-ignored` the request's fields a translation accepted without effect, if any. */
export function nameIgnoredFields(extraHeaders: Record<string, string>, ignored: readonly string[]): void {
  if (ignored.length > 0) extraHeaders["x-llmux-ignored"] = ignored.join(", ");
}
