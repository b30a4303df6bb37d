import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { GgufFileType } from "node-llama-cpp";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { isLlmuxError } from "../core/errors.ts";
import { readGgufHeader } from "./read-gguf-header.ts";

const STORIES = resolve("../shared/models/stories260K.gguf");
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-gguf-header-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function failsWith(kind: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(isLlmuxError(error), `expected an LlmuxError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

test("reads the facts of a real model (stories260K)", async () => {
  const header = await readGgufHeader(STORIES);
  assert.equal(header.version, 3);
  assert.equal(header.architecture, "llama");
  assert.equal(header.contextLength, 2048);
  assert.equal(header.tensorCount, 48);
  assert.equal(header.parameterCount, 292_800);
  assert.equal(header.quantization, "F32");
  assert.equal(header.fileSize, 1_185_376);
  assert.equal(header.sizeLabel, "292.8K");
  assert.equal(header.chatTemplate, undefined);
  assert.equal(header.metadata["llama.embedding_length"], 64);
  assert.deepEqual(header.metadata["tokenizer.ggml.tokens"], {
    type: "array",
    elementType: "string",
    length: 512,
  });
});

test("a missing file is model_file_missing", async () => {
  await assert.rejects(
    readGgufHeader(join(dir, "nope.gguf")),
    failsWith("model_file_missing", /does not exist/),
  );
});

test("files that are not GGUF are not_gguf", async () => {
  const text = join(dir, "notes.txt");
  await writeFile(text, "hello, this is not a model\n");
  await assert.rejects(readGgufHeader(text), failsWith("not_gguf", /notes\.txt is not a GGUF model file/));
  const empty = join(dir, "empty.gguf");
  await writeFile(empty, "");
  await assert.rejects(readGgufHeader(empty), failsWith("not_gguf", /not a GGUF model file/));
  const badMagic = await writeGguf(join(dir, "ggml.gguf"), { magic: "GGML" });
  await assert.rejects(readGgufHeader(badMagic.path), failsWith("not_gguf", /not a GGUF model file/));
  const folder = join(dir, "folder.gguf");
  await mkdir(folder);
  await assert.rejects(readGgufHeader(folder), failsWith("not_gguf", /not a GGUF model file/));
});

test("a file cut short anywhere is corrupt_gguf", async () => {
  const whole = await writeGguf(join(dir, "whole.gguf"));
  const cuts = {
    "in the counts": 12,
    "in the metadata": 2_000,
    "in the tensor infos": whole.dataOffset - 40,
    "at the end of the header": whole.dataOffset,
    "in the tensor data": whole.size - 1_000,
    "one byte short": whole.size - 1,
  };
  for (const [where, length] of Object.entries(cuts)) {
    const path = join(dir, `cut-${length}.gguf`);
    await writeGguf(path);
    await truncate(path, length);
    await assert.rejects(readGgufHeader(path), failsWith("corrupt_gguf", /truncated/), where);
  }
});

test("each key llama.cpp needs is checked, and the missing one is named", async () => {
  for (const key of [
    "llama.context_length",
    "llama.embedding_length",
    "llama.block_count",
    "llama.feed_forward_length",
    "llama.attention.head_count",
    "general.architecture",
  ]) {
    const written = await writeGguf(join(dir, `no-${key}.gguf`), { omitKeys: [key] });
    const named = new RegExp(key.replaceAll(".", "\\."));
    await assert.rejects(readGgufHeader(written.path), failsWith("corrupt_gguf", named), key);
  }
  const zeroBlocks = await writeGguf(join(dir, "zero-blocks.gguf"), { metadata: { "llama.block_count": 0 } });
  await assert.rejects(readGgufHeader(zeroBlocks.path), failsWith("corrupt_gguf", /llama\.block_count/));
});

test("an architecture llama.cpp does not know is unsupported_architecture", async () => {
  const written = await writeGguf(join(dir, "alien.gguf"), { architecture: "alien9" });
  await assert.rejects(readGgufHeader(written.path), failsWith("unsupported_architecture", /"alien9"/));
  for (const architecture of ["qwen2", "qwen3", "gemma3", "phi3", "deepseek2", "mistral3"]) {
    const ok = await writeGguf(join(dir, `${architecture}.gguf`), { architecture });
    assert.equal((await readGgufHeader(ok.path)).architecture, architecture);
  }
});

test("an old or unknown GGUF version is refused", async () => {
  for (const version of [1, 4]) {
    const written = await writeGguf(join(dir, `v${version}.gguf`), { version });
    await assert.rejects(
      readGgufHeader(written.path),
      failsWith("corrupt_gguf", new RegExp(`GGUF version ${version}`)),
    );
  }
});

/** Writes a valid file, then overwrites the u64 (a count or a length) where `locate` says with `value`. */
async function withU64(name: string, locate: (bytes: Buffer) => number, value: bigint): Promise<string> {
  const written = await writeGguf(join(dir, name));
  const bytes = await readFile(written.path);
  bytes.writeBigUInt64LE(value, locate(bytes));
  await writeFile(written.path, bytes);
  return written.path;
}

test("counts and lengths no file could hold are corrupt_gguf, at once", { timeout: 10_000 }, async () => {
  const afterKey = (key: string) => (bytes: Buffer) => bytes.indexOf(key) + key.length;
  const cases = {
    "tensor count": await withU64("huge-tensors.gguf", () => 8, 2n ** 40n),
    "key count": await withU64("huge-keys.gguf", () => 16, 2n ** 40n),
    // Past 2 GiB: node-llama-cpp's reader passes it to fs read, and Node 20 aborts the process.
    "string length": await withU64("huge-string.gguf", (b) => afterKey("general.name")(b) + 4, 2n ** 31n),
    "array length": await withU64(
      "huge-array.gguf",
      (b) => afterKey("tokenizer.ggml.tokens")(b) + 8,
      2n ** 40n,
    ),
  };
  for (const [what, path] of Object.entries(cases)) {
    await assert.rejects(readGgufHeader(path), failsWith("corrupt_gguf", /is (truncated|corrupt)/), what);
  }
});

test("a metadata value of an unknown type is corrupt_gguf", async () => {
  const written = await writeGguf(join(dir, "bad-type.gguf"));
  const bytes = await readFile(written.path);
  bytes.writeUInt32LE(99, bytes.indexOf("general.name") + "general.name".length);
  await writeFile(written.path, bytes);
  await assert.rejects(
    readGgufHeader(written.path),
    failsWith("corrupt_gguf", /unknown metadata value type 99/),
  );
});

test("quantization comes from general.file_type, else from the tensor types", async () => {
  const q4 = await writeGguf(join(dir, "q4.gguf"), { metadata: { "general.file_type": 15 } });
  assert.equal((await readGgufHeader(q4.path)).quantization, "Q4_K_M");
  const guessed = await writeGguf(join(dir, "guessed.gguf"), { omitKeys: ["general.file_type"] });
  assert.equal((await readGgufHeader(guessed.path)).quantization, "F32");
});

test("every file type node-llama-cpp knows is named as its enum names it", async () => {
  for (const [name, fileType] of Object.entries(GgufFileType)) {
    if (typeof fileType !== "number") continue;
    const written = await writeGguf(join(dir, `file-type-${fileType}.gguf`), {
      metadata: { "general.file_type": fileType },
    });
    const expected = name.replace(/^(MOSTLY|ALL)_/, "");
    assert.equal(
      (await readGgufHeader(written.path)).quantization,
      expected,
      `add ${expected} to FILE_TYPES`,
    );
  }
});

test("size label from general.size_label, and a non-default alignment is honoured", async () => {
  const written = await writeGguf(join(dir, "aligned.gguf"), {
    alignment: 64,
    metadata: { "general.size_label": "1B" },
  });
  const header = await readGgufHeader(written.path);
  assert.equal(header.sizeLabel, "1B");
  assert.equal(header.dataOffset % 64, 0);
  assert.equal(header.dataOffset, written.dataOffset);
});

test("only the header is read: a 16 GiB (sparse) file takes well under a second", async () => {
  const written = await writeGguf(join(dir, "huge.gguf"));
  await truncate(written.path, 16 * 1024 ** 3);
  const started = performance.now();
  const header = await readGgufHeader(written.path);
  assert.ok(performance.now() - started < 1_000);
  assert.equal(header.fileSize, 16 * 1024 ** 3);
});
