import type { CachedAnswer } from "./cached-answer.ts";

/** The answer encodeCachedAnswer wrote; undefined for a value it did not write (another version's). */
export function decodeCachedAnswer(value: Buffer): CachedAnswer | undefined {
  try {
    const length = value.readUInt32BE(0);
    const { sizes, ...rest } = JSON.parse(value.subarray(4, 4 + length).toString("utf8")) as Omit<
      CachedAnswer,
      "chunks"
    > & { sizes: number[] };
    const chunks: Buffer[] = [];
    let at = 4 + length;
    for (const size of sizes) {
      chunks.push(value.subarray(at, at + size));
      at += size;
    }
    return at === value.length ? { ...rest, chunks } : undefined;
  } catch {
    return undefined;
  }
}
