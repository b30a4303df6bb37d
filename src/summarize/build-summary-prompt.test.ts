import assert from "node:assert/strict";
import { test } from "node:test";
import { buildSummaryPrompt } from "./build-summary-prompt.ts";

const page = { title: "Rivers of Europe", url: "https://example.com/rivers" };
const CONTENT = "The Danube flows through ten countries.";

test("the default asks for a short Markdown summary, ignoring navigation, covering news", () => {
  const { system, prompt } = buildSummaryPrompt({ kind: "whole" }, page, CONTENT);
  assert.match(prompt, /short Markdown summary/);
  assert.match(prompt, /Ignore navigation/);
  assert.match(prompt, /news or announcements/);
  assert.match(system, /navigation/);
  assert.match(prompt, /"Rivers of Europe" \(https:\/\/example\.com\/rivers\)/);
  assert.ok(prompt.indexOf(CONTENT) < prompt.indexOf("short Markdown summary"), "the instruction comes last");
});

test("length, language and a custom prompt change the instruction", () => {
  const long = buildSummaryPrompt({ kind: "whole" }, page, CONTENT, {
    length: "long",
    language: "French",
  }).prompt;
  assert.match(long, /detailed Markdown summary/);
  assert.match(long, /Answer in French\.$/);
  const medium = buildSummaryPrompt({ kind: "whole" }, page, CONTENT, { length: "medium" }).prompt;
  assert.match(medium, /about 250 words/);
  const custom = buildSummaryPrompt({ kind: "whole" }, page, CONTENT, {
    prompt: "List every river named",
    language: "German",
  }).prompt;
  assert.match(custom, /List every river named Answer in German\.$/);
  assert.doesNotMatch(custom, /short Markdown summary/);
  assert.match(custom, /The Danube/);
});

test("parts ask for notes that keep what a custom prompt needs; notes are merged or summarized", () => {
  const part = buildSummaryPrompt({ kind: "part", index: 2, total: 5 }, page, CONTENT, {
    prompt: "List every river named",
  }).prompt;
  assert.match(part, /part 2 of 5 of the page "Rivers of Europe"/);
  assert.match(part, /Take notes/);
  assert.match(part, /must do this: "List every river named"/);

  const merge = buildSummaryPrompt({ kind: "notes", final: false }, page, "- note").prompt;
  assert.match(merge, /Merge these notes/);
  assert.doesNotMatch(merge, /short Markdown summary/);
  const final = buildSummaryPrompt({ kind: "notes", final: true }, page, "- note", {
    language: "Italian",
  }).prompt;
  assert.match(final, /cover the whole page/);
  assert.match(final, /short Markdown summary.*Answer in Italian\./s);
});

test("only web addresses are named: a local file's path stays private", () => {
  const { prompt } = buildSummaryPrompt(
    { kind: "whole" },
    { title: "Notes", url: "file:///home/me/notes.html" },
    "x",
  );
  assert.doesNotMatch(prompt, /file:|home\/me/);
  assert.match(prompt, /the page "Notes":/);
});
