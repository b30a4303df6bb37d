// The summarizer on a long document: corpus articles joined into PAGES pages (about 3,000
// characters each), summarized map-reduce with the shared tiny local model at its full trained
// context of 2,048 tokens. Prints the chunker's speed, the parts, the calls and the time taken.
// Run: node --import tsx bench/summarize.bench.ts [PAGES]   (default 100; 1 thread)
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlmux } from "../src/client/create-llmux.ts";
import { loadConfig } from "../src/core/load-config.ts";
import { localEngine } from "../src/local/local-engine.ts";
import { estimateTokens } from "../src/providers/estimate-tokens.ts";
import { splitIntoChunks } from "../src/summarize/split-into-chunks.ts";
import { summarize } from "../src/summarize/summarize.ts";

const PAGES = Number(process.argv[2] ?? 100);
const CORPUS = "../shared/corpus/dev";

const articles = readdirSync(CORPUS)
  .filter((dir) => dir.startsWith("scrapinghub-"))
  .map((dir) => readFileSync(join(CORPUS, dir, "expected.txt"), "utf8"));
let markdown = "";
for (let i = 0; markdown.length < PAGES * 3000; i++) {
  markdown += `# Article ${i + 1}\n\n${articles[i % articles.length]}\n\n`;
}

const t0 = performance.now();
const chunks = splitIntoChunks(markdown, 1500, estimateTokens);
console.log(
  `chunker: ${markdown.length.toLocaleString()} characters into ${chunks.length} chunks of <= 1500 estimated tokens in ${Math.round(performance.now() - t0)} ms`,
);

const home = mkdtempSync(join(tmpdir(), "llmux-bench-"));
let calls = 0;
const llmux = createLlmux({
  config: loadConfig({ cwd: home, env: { LLMUX_HOME: home, LLMUX_THREADS: "1" } }),
  onUsage: () => {
    calls += 1;
  },
});
const started = performance.now();
const result = await summarize(
  { markdown, title: `${PAGES} pages` },
  {
    llmux,
    model: "local:../shared/models/stories260K.gguf",
    maxTokensPerChunk: 16,
    maxTokens: 32,
    onProgress: (progress) => {
      if (progress.step !== "parts" && progress.step !== "notes") return;
      const { step, done, total } = progress;
      if (done === total || done % 20 === 0) console.log(`  ${step}: ${done}/${total}`);
    },
  },
);
const seconds = (performance.now() - started) / 1000;
console.log(
  `summarize: ${PAGES} pages, ${result.chunks} parts, ${calls} calls, ${result.usage.inputTokens?.toLocaleString()} input tokens, ${seconds.toFixed(1)} s (${((result.usage.inputTokens ?? 0) / seconds).toFixed(0)} input tokens/s)`,
);
await localEngine.dispose();
