// Throughput of the local engine through llmux (LanguageModelV3 doStream, and the AI SDK's
// streamText) against node-llama-cpp's own LlamaCompletion, same model and settings, same run.
// Also through llmux's library API and its CLI (a new process per run, `--json`, so the whole
// call is timed from the process start: Node's start and the model's load included).
// Run: npm run build && node --import tsx bench/local-engine.bench.ts
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { streamText } from "ai";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { createLlmux } from "../src/client/create-llmux.ts";
import { loadConfig } from "../src/core/load-config.ts";
import { createLocalLanguageModel } from "../src/local/create-local-language-model.ts";
import { LocalEngine, localEngine } from "../src/local/local-engine.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
const PROMPT = "Once upon a time";
const RUNS = 5;

interface Sample {
  ttftMs: number;
  tokensPerSecond: number;
}

async function measure(run: (onFirst: () => void) => Promise<number>): Promise<Sample> {
  const start = performance.now();
  let first = 0;
  const tokens = await run(() => {
    first ||= performance.now() - start;
  });
  const seconds = (performance.now() - start) / 1000;
  return { ttftMs: first, tokensPerSecond: tokens / seconds };
}

function median(samples: Sample[]): Sample {
  const pick = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return {
    ttftMs: pick(samples.map((s) => s.ttftMs)),
    tokensPerSecond: pick(samples.map((s) => s.tokensPerSecond)),
  };
}

async function repeat(runs: number, run: (onFirst: () => void) => Promise<number>): Promise<Sample> {
  await measure(run); // warm-up
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(run));
  return median(samples);
}

const benchHome = mkdtempSync(join(tmpdir(), "llmux-bench-"));

function runCli(threads: number, maxTokens: number, onFirst: () => void): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      "dist/cli/main.js",
      "ask",
      PROMPT,
      "--model",
      `local:${MODEL}`,
      "--temperature",
      "0",
      "--max-tokens",
      String(maxTokens),
      "--json",
    ],
    { env: { ...process.env, LLMUX_HOME: benchHome, LLMUX_THREADS: String(threads) } },
  );
  child.stdin.end(); // piped stdin is read as context: give it none
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((done, fail) => {
    child.on("close", (code) => {
      if (code !== 0) return fail(new Error(`llmux exited ${code}`));
      const result = JSON.parse(output) as { usage: { outputTokens: number }; latencyMs: number };
      onFirst();
      done(result.usage.outputTokens);
    });
  });
}

const llama = await getLlama({ build: "never", gpu: "auto", logLevel: LlamaLogLevel.error });
const nativeModel = await llama.loadModel({ modelPath: MODEL });
const rows: string[][] = [];

// "auto" is node-llama-cpp's default: as many threads as the Llama instance allows.
for (const [label, threads] of [
  ["1", 1],
  ["2", 2],
  [`auto (${llama.maxThreads})`, llama.maxThreads],
] as const) {
  const slow = threads > 2; // the default collapses to ~1 token/s on 2 vCPUs; keep the run short
  const maxTokens = slow ? 16 : 256;
  const runs = slow ? 1 : RUNS;
  const settings = { temperature: 0, maxTokens, repeatPenalty: false as const };

  console.error(`threads ${label}: measuring...`);
  const context = await nativeModel.createContext({ threads, contextSize: 2048 });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const native = await repeat(runs, async (onFirst) => {
    let tokens = 0;
    await completion.generateCompletion(PROMPT, {
      ...settings,
      onToken: (chunk) => {
        onFirst();
        tokens += chunk.length;
      },
    });
    return tokens;
  });
  await context.dispose();

  const engine = new LocalEngine({ threads, parallel: 1 });
  const model = createLocalLanguageModel(MODEL, { engine });
  const callOptions = { temperature: 0, maxOutputTokens: maxTokens };
  const viaModel = await repeat(runs, async (onFirst) => {
    const { stream } = await model.doStream({
      ...callOptions,
      prompt: [{ role: "user", content: [{ type: "text", text: PROMPT }] }],
    });
    const reader = stream.getReader();
    let tokens = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const part: LanguageModelV3StreamPart = next.value;
      if (part.type === "text-delta") onFirst();
      if (part.type === "finish") tokens = part.usage.outputTokens.total ?? 0;
    }
    return tokens;
  });
  const viaSdk = await repeat(runs, async (onFirst) => {
    const result = streamText({ model, prompt: PROMPT, ...callOptions });
    for await (const _delta of result.textStream) onFirst();
    return (await result.usage).outputTokens ?? 0;
  });
  await engine.dispose();

  // The library API (registry, usage row, cost) on the process-wide engine.
  const llmux = createLlmux({
    config: loadConfig({ env: { ...process.env, LLMUX_THREADS: String(threads), LLMUX_HOME: benchHome } }),
  });
  const viaLibrary = await repeat(runs, async (onFirst) => {
    const { textStream, result } = llmux.stream({
      model: `local:${MODEL}`,
      prompt: PROMPT,
      temperature: 0,
      maxTokens,
    });
    for await (const _delta of textStream) onFirst();
    return (await result).usage.outputTokens ?? 0;
  });
  await localEngine.unloadAll();

  // The CLI as a user runs it: a new process each time; its "ttft" is the whole run and its
  // tokens/s includes Node's start and the model's load.
  const viaCli = await repeat(Math.min(runs, 3), (onFirst) => runCli(threads, maxTokens, onFirst));

  const ratio = (sample: Sample) => (sample.tokensPerSecond / native.tokensPerSecond).toFixed(2);
  for (const [name, sample] of [
    ["node-llama-cpp", native],
    ["llmux doStream", viaModel],
    ["AI SDK streamText", viaSdk],
    ["llmux library stream", viaLibrary],
    ["llmux CLI, whole process", viaCli],
  ] as const) {
    rows.push([
      label,
      name,
      String(maxTokens),
      sample.ttftMs.toFixed(1),
      sample.tokensPerSecond.toFixed(0),
      name === "node-llama-cpp" ? "1.00" : ratio(sample),
    ]);
  }
}
await llama.dispose();

const header = ["threads", "path", "tokens", "ttft ms", "tokens/s", "vs native"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
console.log(`model ${MODEL}, prompt "${PROMPT}", greedy, median of ${RUNS} runs (1 for auto)`);
console.log(line(header));
for (const row of rows) console.log(line(row));
