import assert from "node:assert/strict";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { makePrivateDir } from "./paths.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

const root = mkdtempSync(join(tmpdir(), "llmux-write-atomic-"));
after(() => rmSync(root, { recursive: true, force: true }));

test("a write that fails at the rename leaves no temp file behind and the target as it was", async () => {
  const folder = join(root, "fails");
  const target = join(folder, "target");
  mkdirSync(join(target, "inside"), { recursive: true });
  await assert.rejects(writeFileAtomic(target, "new"));
  assert.deepEqual(readdirSync(folder), ["target"]);
  assert.deepEqual(readdirSync(target), ["inside"]);
});

test("a replaced file gets the new content; nothing else is left in its folder", async () => {
  const folder = join(root, "replaces");
  mkdirSync(folder);
  writeFileSync(join(folder, "file.txt"), "old");
  await writeFileAtomic(join(folder, "file.txt"), "new", { mode: 0o600 });
  assert.equal(readFileSync(join(folder, "file.txt"), "utf8"), "new");
  assert.deepEqual(readdirSync(folder), ["file.txt"]);
});

test("makePrivateDir makes the folders it creates 0700 and leaves an existing one's mode alone", () => {
  const existing = join(root, "existing");
  mkdirSync(existing);
  chmodSync(existing, 0o755);
  makePrivateDir(join(existing, "a", "b"));
  assert.equal(statSync(existing).mode & 0o777, 0o755);
  assert.equal(statSync(join(existing, "a")).mode & 0o777, 0o700);
  assert.equal(statSync(join(existing, "a", "b")).mode & 0o777, 0o700);
  makePrivateDir(existing);
  assert.equal(statSync(existing).mode & 0o777, 0o755);
});
