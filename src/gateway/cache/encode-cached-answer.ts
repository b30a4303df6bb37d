import type { CachedAnswer } from "./cached-answer.ts";

/**
 * One Redis value for an answer: a 4-byte length, that many bytes of JSON (headers, usage, the
 * chunks' sizes), then the chunks' bytes as they are (no base64: a hit copies them out once).
 */
export function encodeCachedAnswer(answer: CachedAnswer): Buffer {
  const { chunks, ...rest } = answer;
  const meta = Buffer.from(JSON.stringify({ ...rest, sizes: chunks.map((chunk) => chunk.length) }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(meta.length);
  return Buffer.concat([length, meta, ...chunks]);
}
