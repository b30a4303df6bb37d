// Why llmux reads GGUF headers with its own reader (src/local/read-gguf-header.ts) and not
// node-llama-cpp's readGgufFileInfo: both on the same files in the same run, for time, the cost
// of importing node-llama-cpp at all (`llmux models` and `llmux pull` need only the header), and
// what each does with two damaged files (each read in its own process, 20 s allowed).
//
//   npx tsx bench/gguf-reader.bench.ts [--runs 15]
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, openSync, truncateSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { readGgufHeader } from "../src/local/read-gguf-header.ts";
import { makeTempDir } from "../test/support/make-temp-dir.ts";
import { writeGguf } from "../test/support/write-gguf.ts";
import { median } from "./support/median.ts";

const runsAt = process.argv.indexOf("--runs");
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 15;
const dir = makeTempDir("llmux-gguf-bench-");

// A real tiny model, and a header the size of a current one: Llama 3's 128,256-token vocabulary
// (tokens, scores, token types), the bulk of every real GGUF header.
const VOCABULARY = 128_256;
const large = join(dir, "large-vocabulary.gguf");
await writeGguf(large, {
  metadata: {
    "tokenizer.ggml.tokens": Array.from({ length: VOCABULARY }, (_, i) => `token_${i}`),
    "tokenizer.ggml.scores": { type: "array", elementType: "float32", value: new Array(VOCABULARY).fill(0) },
    "tokenizer.ggml.token_type": {
      type: "array",
      elementType: "int32",
      value: new Array(VOCABULARY).fill(1),
    },
  },
});
const files = [
  { name: "stories260K.gguf (real)", path: resolve("../shared/models/stories260K.gguf") },
  { name: `${VOCABULARY.toLocaleString("en")}-token vocabulary`, path: large },
];

async function time(read: () => Promise<unknown>): Promise<number> {
  await read(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await read();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

console.log(`\nmedian of ${RUNS} reads, same process\n`);
console.log("| file | llmux readGgufHeader | node-llama-cpp readGgufFileInfo | ratio |");
console.log("|---|---|---|---|");
for (const file of files) {
  const ours = await time(() => readGgufHeader(file.path));
  const theirs = await time(() => readGgufFileInfo(file.path, { readTensorInfo: true, logWarnings: false }));
  console.log(
    `| ${file.name} | ${ours.toFixed(2)} ms | ${theirs.toFixed(2)} ms | ${(theirs / ours).toFixed(1)}x |`,
  );
}

// Damaged copies of the large file: cut off inside the token list (a partial download), and a
// first key whose length field says 3 GiB (a corrupt byte; offset 24 is the first key's length).
const truncated = join(dir, "truncated.gguf");
copyFileSync(large, truncated);
truncateSync(truncated, 1_000_000);
const hugeString = join(dir, "huge-string-length.gguf");
copyFileSync(large, hugeString);
const length = Buffer.alloc(8);
length.writeBigUInt64LE(3n * 1024n ** 3n);
const fd = openSync(hugeString, "r+");
writeSync(fd, length, 0, 8, 24);
closeSync(fd);

const READERS = {
  llmux: `const { readGgufHeader } = await import(${JSON.stringify(resolve("src/local/read-gguf-header.ts"))}); await readGgufHeader(process.argv[1]);`,
  "node-llama-cpp": `const { readGgufFileInfo } = await import("node-llama-cpp"); await readGgufFileInfo(process.argv[1], { readTensorInfo: true, logWarnings: false });`,
};

function outcome(reader: keyof typeof READERS, path: string): string {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `try { ${READERS[reader]} console.log("read without error"); } catch (e) { console.log(\`threw \${e.code ?? e.name}: \${e.message}\`); }`,
      path,
    ],
    { encoding: "utf8", timeout: 20_000 },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT")
    return `still reading after ${seconds} s (killed)`;
  if (run.signal) return `process killed by ${run.signal} after ${seconds} s`;
  return `${run.stdout.trim().replaceAll(`${dir}/`, "").slice(0, 140)} (${seconds} s)`;
}

console.log("\n| damaged file | llmux | node-llama-cpp |");
console.log("|---|---|---|");
for (const [name, path] of [
  ["cut off at 1 MB (in the token list)", truncated],
  ["first key's length 3 GiB", hugeString],
] as const) {
  console.log(`| ${name} | ${outcome("llmux", path)} | ${outcome("node-llama-cpp", path)} |`);
}

// What importing node-llama-cpp adds to a command's start (median of 5 fresh processes each).
function startMs(code: string): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ["--input-type=module", "-e", code], { stdio: "ignore" });
    samples.push(performance.now() - started);
  }
  return median(samples);
}
const bare = startMs("");
const withLibrary = startMs('await import("node-llama-cpp")');
console.log(
  `\nimporting node-llama-cpp: ${(withLibrary - bare).toFixed(0)} ms on top of Node's own start (${bare.toFixed(0)} ms)`,
);
