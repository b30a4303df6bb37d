import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { estimateTokens } from "../providers/estimate-tokens.ts";
import { splitIntoChunks } from "./split-into-chunks.ts";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const paragraph = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Sentence ${i + 1} is about ${topic}.`).join(" ");

function assertWithin(chunks: string[], text: string, max: number, count: (t: string) => number) {
  assert.equal(chunks.join(""), text, "the chunks joined are the text, nothing lost or added");
  for (const chunk of chunks)
    assert.ok(count(chunk) <= max, `${count(chunk)} > ${max}: ${chunk.slice(0, 60)}`);
}

test("a text within the budget is one chunk", () => {
  assert.deepEqual(splitIntoChunks("Short text.", 100, words), ["Short text."]);
  assert.deepEqual(splitIntoChunks("", 100, words), []);
});

test("cuts before top-level headings first, keeping each section whole when it fits", () => {
  const sections = ["Rivers", "Mountains", "Forests"].map(
    (topic) => `# ${topic}\n\n${paragraph(topic, 4)}\n\n## Details\n\n${paragraph(topic, 3)}\n\n`,
  );
  const text = sections.join("");
  const max = words(sections[0]!) + 5;
  const chunks = splitIntoChunks(text, max, words);
  assertWithin(chunks, text, max, words);
  assert.deepEqual(chunks, sections, "one chunk per section, cut at the # headings, not the ## ones");
});

test("a section too long for one chunk is cut at its sub-headings, then between paragraphs", () => {
  const text = `# Report\n\n## First\n\n${paragraph("a", 10)}\n\n${paragraph("b", 10)}\n\n## Second\n\n${paragraph("c", 5)}\n`;
  const chunks = splitIntoChunks(text, 60, words);
  assertWithin(chunks, text, 60, words);
  assert.ok(
    chunks.some((c) => c.startsWith("## Second")),
    "cut before ## Second",
  );
  assert.match(chunks[0]!, /^# Report\n\n## First\n\nSentence/, "a heading stays with the text after it");
  assert.ok(
    chunks.some((c) => c.startsWith("Sentence 1 is about b.")),
    "the long ## First section is cut between its paragraphs",
  );
  for (const chunk of chunks) assert.match(chunk, /\.\s*$/, "no cut inside a sentence");
});

test("one long paragraph is cut between sentences, a word longer than the budget inside the word", () => {
  const long = paragraph("the sea", 40);
  const chunks = splitIntoChunks(long, 25, words);
  assertWithin(chunks, long, 25, words);
  for (const chunk of chunks) assert.match(chunk.trim(), /^Sentence \d+ .*\.$/, "whole sentences");

  const blob = "x".repeat(1000);
  const chars = (t: string) => t.length;
  const pieces = splitIntoChunks(`start ${blob} end`, 300, chars);
  assertWithin(pieces, `start ${blob} end`, 300, chars);
  assert.ok(pieces.length >= 4);
});

test("never cuts a surrogate pair, even inside a word", () => {
  const text = "😀".repeat(50);
  const chunks = splitIntoChunks(text, 7, (t) => t.length);
  assertWithin(chunks, text, 7, (t) => t.length);
  for (const chunk of chunks) assert.doesNotMatch(chunk, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
});

test("a # line inside a fenced code block is not a heading", () => {
  const code = "```sh\n# install it\nnpm install\n```\n";
  const text = `# Setup\n\nIntro words here.\n\n${code}\nMore words after the code.\n\n# Usage\n\nRun it.\n`;
  const chunks = splitIntoChunks(text, words(text) - 3, words);
  assertWithin(chunks, text, words(text) - 3, words);
  assert.ok(!chunks.some((c) => c.startsWith("# install")), "not cut at the shell comment");
});

test("a real page with real tokenizers: every chunk within budget, the whole text kept", () => {
  const page = readFileSync("../shared/corpus/dev/readability-ars-1/expected.txt", "utf8");
  for (const count of [countTokens as (t: string) => number, estimateTokens]) {
    for (const max of [64, 200, 1000]) {
      const chunks = splitIntoChunks(page, max, count);
      assertWithin(chunks, page, max, count);
      assert.ok(chunks.length <= 2 * Math.ceil(count(page) / max) + 1, "pieces are packed, not left small");
    }
  }
});
