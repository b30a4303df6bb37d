// A long document through the embedded engine and the shared tiny model (TinyStories, no chat
// template: what it writes is nonsense, but every step of the pipeline runs for real). In a file
// of its own: the engine is process-wide, and this test caps its context through the config.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { localEngine } from "../src/local/local-engine.ts";
import type { UsageRow } from "../src/store/usage-log.ts";
import { summarize } from "../src/summarize/summarize.ts";
import { makeLlmux } from "./support/make-llmux.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

after(() => localEngine.dispose());

const MODEL = "local:../shared/models/stories260K.gguf";
const CONTEXT = 768;

test("a document many times the context is summarized in parts that each fit it", async () => {
  const rows: UsageRow[] = [];
  const configPath = join(makeTempDir("llmux-summarize-"), "config.json");
  writeFileSync(configPath, JSON.stringify({ local: { contextSize: CONTEXT } }));
  const llmux = makeLlmux(
    { LLMUX_THREADS: "1", LLMUX_CONFIG: configPath },
    { onUsage: (row) => rows.push(row) },
  );
  const article = await readFile("../shared/corpus/dev/readability-ars-1/expected.txt", "utf8");
  const markdown = `# Minecraft exploit\n\n${article}`;
  const result = await summarize(
    { markdown, title: "Minecraft exploit" },
    {
      llmux,
      model: MODEL,
      maxTokensPerChunk: 4,
      maxTokens: 8,
    },
  );
  assert.ok(result.chunks >= 4, `${result.chunks} parts`);
  assert.ok(result.summary.length > 0);
  assert.equal(result.model, MODEL);
  assert.equal(rows.length, result.chunks + 1, "one call per part, then the summary of the notes");
  for (const row of rows) {
    assert.equal(row.outcome, "ok");
    assert.ok(
      row.inputTokens! + row.outputTokens! <= CONTEXT,
      `${row.inputTokens} + ${row.outputTokens} tokens`,
    );
  }
  const lease = await localEngine.useModel("../shared/models/stories260K.gguf");
  const documentTokens = lease.loaded.model.tokenize(markdown, false).length;
  lease.release();
  assert.ok(result.usage.inputTokens! > documentTokens, "the model read the whole document, in parts");
  assert.equal(result.costUsd, 0);
});
