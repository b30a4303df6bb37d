import { createHash } from "node:crypto";

// Request fields that change nothing in the answer's bytes: who asked, and hints for the
// provider's own caches and model loading. The Responses API echoes `user` and `metadata` in its
// answer, so there they count.
const IGNORED: ReadonlySet<string> = new Set([
  "user",
  "metadata",
  "safety_identifier",
  "prompt_cache_key",
  "keep_alive",
]);
const NONE: ReadonlySet<string> = new Set();

/**
 * The cache key of a request: SHA-256 over the route, the scope (a gateway key's id, or one
 * shared scope) and the request as canonical JSON (object keys sorted, so their order in the
 * client's JSON does not matter), less the fields in IGNORED.
 */
export function cacheKey(route: string, scope: string, json: Record<string, unknown>): string {
  const ignored = route === "responses" ? NONE : IGNORED;
  const hash = createHash("sha256").update(`${route}\u0000${scope}\u0000`);
  // No prototype: a "__proto__" field is kept as a field.
  const kept: Record<string, unknown> = Object.create(null);
  for (const name in json) if (!ignored.has(name)) kept[name] = json[name];
  hash.update(canonical(kept));
  return hash.digest("base64url");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const fields = Object.keys(object)
      .filter((name) => object[name] !== undefined)
      .sort();
    return `{${fields.map((name) => `${JSON.stringify(name)}:${canonical(object[name])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
