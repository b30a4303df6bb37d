/** A credential header's value as secrets to redact: the value, and its token alone ("Bearer <token>"), which may come back by itself. */
export function headerSecrets(value: string): string[] {
  return [value, value.trim().split(/\s+/).at(-1) ?? ""];
}
