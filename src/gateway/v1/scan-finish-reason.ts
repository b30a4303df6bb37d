/**
 * The string value of the last `"key":"..."` in an answer's bytes (its finish reason: OpenAI's
 * finish_reason, Anthropic's stop_reason, Ollama's done_reason), found by byte search so that a
 * relayed answer is never parsed for it. A null value (`"key":null`, a stream's earlier chunks)
 * is skipped: only a quoted value matches.
 */
export function scanFinishReason(body: Buffer, key: string): string | undefined {
  const needle = `"${key}":"`;
  let at = body.lastIndexOf(needle);
  // Pretty-printed JSON puts a space after the colon.
  let start = at + needle.length;
  if (at < 0) {
    at = body.lastIndexOf(`"${key}": "`);
    start = at + needle.length + 1;
  }
  if (at < 0) return undefined;
  const end = body.indexOf(0x22, start);
  if (end < 0 || end - start > 64) return undefined;
  return body.toString("utf8", start, end);
}
