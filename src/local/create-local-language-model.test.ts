import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { generateText, Output, streamText, tool } from "ai";
import { z } from "zod";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { LlmuxError } from "../core/errors.ts";
import { createLocalLanguageModel } from "./create-local-language-model.ts";
import { LocalEngine } from "./local-engine.ts";
import { tokenize } from "./tokenize.ts";

const STORIES = resolve("../shared/models/stories260K.gguf");
const CONTINUATION = ", there was a little girl named Lily";
const engine = new LocalEngine({ threads: 1 });
const stories = createLocalLanguageModel(STORIES, { engine });
let dir = "";
let chatml = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-local-"));
  chatml = (await writeGguf(join(dir, "chatml.gguf"), { contextLength: 4096 })).path;
});
after(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function readAll(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<LanguageModelV3StreamPart[]> {
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return parts;
}

async function streamAlone(prompt: string): Promise<string> {
  const result = streamText({ model: stories, prompt, temperature: 0, maxOutputTokens: 60 });
  return result.text;
}

test("doStream continues a story greedily, as text parts then a finish", async () => {
  const { stream } = await stories.doStream({
    prompt: [{ role: "user", content: [{ type: "text", text: "Once upon a time" }] }],
    temperature: 0,
    maxOutputTokens: 30,
  });
  const parts = await readAll(stream);
  assert.deepEqual(
    [...new Set(parts.map((part) => part.type))],
    ["stream-start", "response-metadata", "text-start", "text-delta", "text-end", "finish"],
  );
  const text = parts.map((part) => (part.type === "text-delta" ? part.delta : "")).join("");
  assert.ok(text.startsWith(CONTINUATION), text);
  assert.ok(parts.filter((part) => part.type === "text-delta").length > 5, "text arrives in many deltas");
});

test("generateText: greedy text, usage, and finish reason length at maxOutputTokens", async () => {
  const result = await generateText({
    model: stories,
    prompt: "Once upon a time",
    temperature: 0,
    maxOutputTokens: 20,
  });
  assert.ok(result.text.startsWith(CONTINUATION), result.text);
  assert.equal(result.finishReason, "length");
  assert.equal(result.usage.outputTokens, 20);
  assert.equal(result.usage.inputTokens, 5); // beginning-of-sequence token + 4 tokens of text
});

test("streamText gives the same text as generateText", async () => {
  const streamed = streamText({
    model: stories,
    prompt: "Once upon a time",
    temperature: 0,
    maxOutputTokens: 40,
  });
  const deltas: string[] = [];
  for await (const delta of streamed.textStream) deltas.push(delta);
  const whole = await generateText({
    model: stories,
    prompt: "Once upon a time",
    temperature: 0,
    maxOutputTokens: 40,
  });
  assert.equal(deltas.join(""), whole.text);
  assert.ok(deltas.length > 5);
});

test("a stop sequence cuts the output there", async () => {
  const result = await generateText({
    model: stories,
    prompt: "Once upon a time",
    temperature: 0,
    maxOutputTokens: 60,
    stopSequences: ["Lily"],
  });
  // " Lily" is one token, so the text ends before its space
  assert.equal(result.text, ", there was a little girl named");
  assert.equal(result.finishReason, "stop");
});

test("sampling with a seed is reproducible and differs from greedy", async () => {
  const settings = {
    model: stories,
    prompt: "Once upon a time",
    temperature: 1.5,
    topK: 50,
    topP: 0.95,
    maxOutputTokens: 40,
  };
  const a = await generateText({ ...settings, seed: 7 });
  const b = await generateText({ ...settings, seed: 7 });
  const greedy = await generateText({ ...settings, temperature: 0 });
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, greedy.text);
});

test("aborting stops the stream promptly and frees the model for the next call", async () => {
  const controller = new AbortController();
  const result = streamText({
    model: stories,
    prompt: "Once upon a time",
    temperature: 0,
    maxOutputTokens: 2000,
    abortSignal: controller.signal,
  });
  let text = "";
  let deltas = 0;
  try {
    for await (const delta of result.textStream) {
      text += delta;
      if (++deltas === 3) controller.abort();
    }
  } catch (error) {
    assert.equal((error as Error).name, "AbortError");
  }
  assert.ok(deltas < 10, `${deltas} deltas after abort`);
  assert.ok(text.length < 100, text);
  assert.equal(engine.stats().models.find((m) => m.path === STORIES)?.busy, 0);
});

test("concurrent streams give each the text it gives alone", async () => {
  const aloneA = await streamAlone("Once upon a time");
  const aloneB = await streamAlone("The big dog");
  const [a, b] = await Promise.all([streamAlone("Once upon a time"), streamAlone("The big dog")]);
  assert.equal(a, aloneA);
  assert.equal(b, aloneB);
  assert.notEqual(aloneA, aloneB);
});

test("more calls than sequences queue and all finish", async () => {
  const texts = await Promise.all(Array.from({ length: 5 }, () => streamAlone("Once upon a time")));
  assert.equal(new Set(texts).size, 1);
  assert.equal(engine.stats().loads, 1, "the model loaded once for every call of this file");
});

test("several messages to a model without a chat template are joined, with a warning", async () => {
  const result = await generateText({
    model: stories,
    system: "Once upon a time",
    prompt: "there was",
    temperature: 0,
    maxOutputTokens: 5,
  });
  assert.ok(result.warnings?.some((warning) => warning.type === "compatibility"));
  const joined = await tokenize(STORIES, "Once upon a time\nthere was", engine);
  assert.equal(result.usage.inputTokens, 1 + joined.count);
});

test("tools on a model without a chat template are refused", async () => {
  await assert.rejects(
    generateText({
      model: stories,
      prompt: "Once upon a time",
      tools: { look: tool({ inputSchema: z.object({ at: z.string() }) }) },
      toolChoice: "required",
    }),
    (error: unknown) => error instanceof LlmuxError && error.kind === "unsupported",
  );
});

test("a chat model is prompted through its own chat template", async () => {
  const model = createLocalLanguageModel(chatml, { engine });
  const result = await generateText({
    model,
    system: "Be brief.",
    prompt: "Hi",
    temperature: 0,
    maxOutputTokens: 3,
  });
  const lease = await engine.useModel(chatml);
  const { model: llamaModel } = lease.loaded;
  lease.release();
  const chatmlPrompt =
    "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n";
  // beginning-of-sequence token + the ChatML text with its markers read as single special tokens
  assert.equal(result.usage.inputTokens, 1 + llamaModel.tokenize(chatmlPrompt, true).length);
  assert.ok(llamaModel.tokenize(chatmlPrompt, false).length > llamaModel.tokenize(chatmlPrompt, true).length);
});

test("JSON output is forced to match the schema, even with random weights", async () => {
  const model = createLocalLanguageModel(chatml, { engine });
  const schema = z.object({
    // no free-form strings: random weights write invalid UTF-8 bytes that decode to more characters than maxLength allows
    happy: z.boolean(),
    color: z.enum(["red", "green", "blue"]),
    tags: z.array(z.enum(["a", "b"])).max(3),
  });
  for (const seed of [1, 2, 3]) {
    const result = await generateText({
      model,
      prompt: "Describe a person",
      output: Output.object({ schema }),
      temperature: 1,
      seed,
      maxOutputTokens: 300,
    });
    assert.equal(schema.safeParse(JSON.parse(result.text)).success, true, result.text);
  }
});

test("a forced tool call yields a tool-call part whose input matches the tool's schema", async () => {
  const model = createLocalLanguageModel(chatml, { engine });
  const inputSchema = z.object({
    city: z.enum(["Paris", "Rome"]),
    unit: z.enum(["C", "F"]),
    days: z.array(z.boolean()).max(2),
  });
  const other = z.object({ exact: z.boolean() });
  const required = await generateText({
    model,
    prompt: "What is the weather in Paris?",
    tools: { weather: tool({ description: "Weather for a city", inputSchema }) },
    toolChoice: { type: "tool", toolName: "weather" },
    temperature: 1,
    seed: 5,
    maxOutputTokens: 200,
  });
  assert.equal(required.finishReason, "tool-calls");
  assert.equal(required.toolCalls.length, 1);
  assert.equal(required.toolCalls[0]?.toolName, "weather");
  assert.equal(inputSchema.safeParse(required.toolCalls[0]?.input).success, true);

  const either = await generateText({
    model,
    prompt: "Search or check the weather",
    tools: { weather: tool({ inputSchema }), search: tool({ inputSchema: other }) },
    toolChoice: "required",
    temperature: 1,
    seed: 9,
    maxOutputTokens: 200,
  });
  const call = either.toolCalls[0];
  assert.ok(call);
  assert.equal((call.toolName === "weather" ? inputSchema : other).safeParse(call.input).success, true);
});

test("with tool choice auto the tools are documented to the model through its template", async () => {
  const model = createLocalLanguageModel(chatml, { engine });
  const plain = await generateText({ model, prompt: "Weather?", temperature: 0, maxOutputTokens: 1 });
  const withTools = await generateText({
    model,
    prompt: "Weather?",
    tools: {
      weather: tool({ description: "Weather for a city", inputSchema: z.object({ city: z.string() }) }),
    },
    temperature: 0,
    maxOutputTokens: 1,
  });
  assert.ok((withTools.usage.inputTokens ?? 0) > (plain.usage.inputTokens ?? 0) + 50);
});
