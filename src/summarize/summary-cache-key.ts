import { createHash } from "node:crypto";

/** Bumped when what a cached value holds changes shape, so older entries are never read as new. */
const VALUE_VERSION = 1;

/**
 * A cache key: the SHA-256 of everything the answer depends on (the extracted content, the
 * prompt as built from the instruction, length and language, the model, the caps), in order.
 */
export function summaryCacheKey(kind: string, parts: readonly unknown[]): string {
  return createHash("sha256")
    .update(JSON.stringify([VALUE_VERSION, kind, ...parts]))
    .digest("hex");
}
