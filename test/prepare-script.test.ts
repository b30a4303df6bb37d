// scripts/prepare.mjs: npm's `prepare` builds dist/ only when it is missing or older than its
// sources, except under `npm ci`, `npm pack` and `npm publish`, which always build.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "./support/make-temp-dir.ts";

const { buildReason } = (await import("../scripts/prepare.mjs" as string)) as {
  buildReason(command: string | undefined, root: string): string | undefined;
};

/** Writes the file, then dates it and every folder above it (inside root) `seconds` after 1970. */
function touch(root: string, path: string, seconds: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "");
  for (let p = file; p !== root; p = dirname(p)) utimesSync(p, seconds, seconds);
}

function checkout(): string {
  const root = makeTempDir("llmux-prepare-");
  const sources = ["src/index.ts", "src/cli/main.ts", "web/src/app.tsx", "package.json"];
  for (const source of sources) touch(root, source, 1_000);
  for (const output of ["dist/index.js", "dist/cli/main.js", "dist/web/index.html"])
    touch(root, output, 2_000);
  return root;
}

test("an up-to-date dist/ is not built again, as under the npx of a clone", () => {
  const root = checkout();
  assert.equal(buildReason("exec", root), undefined);
  assert.equal(buildReason("install", root), undefined);
  assert.equal(buildReason(undefined, root), undefined);
});

test("npm ci, pack and publish always build", () => {
  const root = checkout();
  for (const command of ["ci", "pack", "publish"]) assert.equal(buildReason(command, root), `npm ${command}`);
});

test("a missing dist/, or a source newer than it, is built", () => {
  const missing = checkout();
  rmSync(join(missing, "dist/web"), { recursive: true });
  assert.equal(buildReason("exec", missing), "dist/ is missing");

  const edited = checkout();
  touch(edited, "src/cli/main.ts", 3_000);
  assert.equal(buildReason("exec", edited), "the sources are newer than dist/");

  const webEdited = checkout();
  touch(webEdited, "web/src/app.tsx", 3_000);
  assert.equal(buildReason("exec", webEdited), "the sources are newer than dist/");

  const deleted = checkout();
  rmSync(join(deleted, "src/cli/main.ts"));
  assert.equal(buildReason("exec", deleted), "the sources are newer than dist/");
});
