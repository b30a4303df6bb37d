import { writeFileSync } from "node:fs";

/**
 * A wrk script at `path` that POSTs `body` (a JSON object, written as JSON) with `headers`
 * added to its JSON content type: what measureLoad's `script` takes.
 */
export function writeWrkScript(path: string, body: unknown, headers: Record<string, string> = {}): string {
  const lines = [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    ...Object.entries(headers).map(
      ([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`,
    ),
    // A Lua long string: the JSON goes in as it is, quotes and backslashes included.
    `wrk.body = [==[${JSON.stringify(body)}]==]`,
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}
