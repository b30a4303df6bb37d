import { redactSecrets } from "../../core/redact-secrets.ts";

const ERROR_KEY = Buffer.from('"error"');

/**
 * A relayed stream's chunk with any credential redacted when it holds an error event, which may
 * quote the credential the upstream received. Rare: inside JSON text a quote is escaped, so
 * `"error"` is a key or a whole value; other chunks pass untouched, undecoded.
 */
export function scrubErrorEvent(chunk: Buffer): Buffer {
  if (chunk.indexOf(ERROR_KEY) === -1) return chunk;
  const text = chunk.toString("utf8");
  const scrubbed = redactSecrets(text);
  return scrubbed === text ? chunk : Buffer.from(scrubbed);
}
