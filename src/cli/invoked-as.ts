/**
 * How the user started llmux, for the commands we tell them to run: `npx llmux` when npm's exec
 * (npx) started it, as after `npm ci` in a clone, else `llmux`.
 */
export function invokedAs(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.npm_command === "exec" ? "npx llmux" : "llmux";
}
