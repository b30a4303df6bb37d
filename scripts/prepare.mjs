// npm's `prepare`: builds dist/ unless it is already newer than everything it is built from.
// `npx llmux` in a clone installs the clone into npm's npx cache, which runs `prepare` again: with
// dist/ up to date that must cost nothing. `npm ci`, `npm pack` and `npm publish` always build.
import { spawnSync } from "node:child_process";
import { openSync, readdirSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const ALWAYS_BUILD = new Set(["ci", "pack", "publish"]);
// What `npm run build` writes last per step; the oldest of them is when dist/ was built.
const OUTPUTS = ["dist/index.js", "dist/cli/main.js", "dist/web/index.html"];
const INPUTS = ["src", "web", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];

function newestInput(root) {
  let newest = 0;
  for (const input of INPUTS) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat) continue;
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) continue;
    for (const entry of readdirSync(join(root, input), { recursive: true, withFileTypes: true })) {
      const dir = entry.parentPath ?? entry.path;
      // A folder's own time moves when a file in it is deleted or renamed.
      if ((entry.isFile() || entry.isDirectory()) && !dir.includes("node_modules")) {
        newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
      }
    }
  }
  return newest;
}

/** Why dist/ must be built, or undefined when it is up to date. */
export function buildReason(command = process.env.npm_command, root = repo) {
  if (ALWAYS_BUILD.has(command)) return `npm ${command}`;
  const built = OUTPUTS.map((path) => statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs);
  if (built.includes(undefined)) return "dist/ is missing";
  if (newestInput(root) > Math.min(...built)) return "the sources are newer than dist/";
  return undefined;
}

// npm hides the output of a dependency's scripts, and npx installs the clone as one: the one line
// goes to the terminal too, so a first `npx llmux` that has to build is not a silent wait.
function say(line) {
  process.stderr.write(`${line}\n`);
  if (process.stderr.isTTY || process.env.npm_command !== "exec") return;
  try {
    writeSync(openSync("/dev/tty", "w"), `${line}\n`);
  } catch {
    // no terminal: npm shows the line if the build fails
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reason = buildReason();
  if (reason !== undefined) {
    if (!ALWAYS_BUILD.has(process.env.npm_command))
      say(`llmux: building dist/ (${reason}); this takes a few seconds, once`);
    const npm = process.env.npm_execpath;
    const result = npm
      ? spawnSync(process.execPath, [npm, "run", "build"], { cwd: repo, stdio: "inherit" })
      : spawnSync("npm", ["run", "build"], {
          cwd: repo,
          stdio: "inherit",
          shell: process.platform === "win32",
        });
    process.exit(result.status ?? 1);
  }
}
