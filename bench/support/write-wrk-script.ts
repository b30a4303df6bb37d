import { writeFileSync } from "node:fs";

/**
 * A wrk script at `path` that POSTs `body` (a JSON object, written as JSON) with `headers`
 * added to its JSON content type: what measureLoad's `script` takes.
 */
export function writeWrkScript(path: string, body: unknown, headers: Record<string, string> = {}): string {
  const json = JSON.stringify(body);
  if (json.includes("]==]")) throw new Error("The body holds ]==], which would end its Lua string");
  const lines = [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    ...Object.entries(headers).map(
      ([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`,
    ),
    // A Lua long string: the JSON goes in as it is, quotes and backslashes included.
    `wrk.body = [==[${json}]==]`,
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}
