import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, test } from "node:test";
import { type ProviderServer, startAnthropicServer, startOpenAIServer } from "../../test/servers/index.ts";
import { recordedAnthropicStreamText, recordedOpenAIStream } from "../../test/servers/recorded-streams.ts";
import { loadConfig } from "../core/load-config.ts";
import { type CliIo, globalOptions } from "./command.ts";
import { compareCommand } from "./compare.ts";
import { parseOptionValues } from "./define-options.ts";

const servers: ProviderServer[] = [];
const homes: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

// What the recorded streams say, delta by delta.
const { text: openAIAnswer, usage: openAIUsage } = recordedOpenAIStream("openai/chat/openai-text");
const anthropicAnswer = recordedAnthropicStreamText("anthropic/anthropic-text");

async function run(args: { models: string[]; json?: boolean }, env: Record<string, string>) {
  const home = mkdtempSync(join(tmpdir(), "llmux-compare-"));
  homes.push(home);
  writeFileSync(join(home, "config.json"), JSON.stringify({ maxRetries: 0 }));
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...env } });
  const stdin = new PassThrough();
  stdin.end();
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const io = {
    stdin,
    stdout,
    stderr: new PassThrough(),
    color: false,
    prettyJson: false,
  } as unknown as CliIo;
  const code = await compareCommand.run({
    values: parseOptionValues(
      { ...globalOptions, ...compareCommand.options },
      { model: args.models, json: args.json },
      "compare",
    ),
    positionals: ["Invent", "a holiday"],
    io,
    config: () => config,
  });
  return { code, out };
}

async function providers() {
  const openai = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  const anthropic = await startAnthropicServer([{ fixture: "anthropic/anthropic-text" }]);
  servers.push(openai, anthropic);
  return {
    openai,
    anthropic,
    env: {
      OPENAI_API_KEY: "sk-test-openai-key-123456",
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: "sk-ant-test-key-123456",
      ANTHROPIC_BASE_URL: `${anthropic.url}/v1`,
    },
  };
}

test("prints each model's answer, then a table of tokens, cost, first token and total time", async () => {
  const { openai, anthropic, env } = await providers();
  const { code, out } = await run({ models: ["openai:gpt-4.1-nano", "anthropic:claude-sonnet-4-5"] }, env);
  assert.equal(code, 0, out);
  assert.ok(out.startsWith(`== openai:gpt-4.1-nano ==\n${openAIAnswer.trimEnd()}\n\n`), out);
  assert.ok(out.includes(`== anthropic:claude-sonnet-4-5 ==\n${anthropicAnswer.trimEnd()}\n\n`), out);
  const table = out.slice(out.indexOf("MODEL"));
  assert.match(table, /^MODEL\s+IN\s+OUT\s+COST\s+FIRST TOKEN\s+TOTAL\n/);
  const row = (model: string, input: number, output: number) =>
    new RegExp(
      `${model.replace(/\./g, "\\.")}\\s+${input}\\s+${output}\\s+\\$\\S+\\s+\\d+\\.\\d\\d s\\s+\\d+\\.\\d\\d s\\n`,
    );
  assert.match(table, row("openai:gpt-4.1-nano", openAIUsage.prompt_tokens, openAIUsage.completion_tokens));
  assert.match(table, row("anthropic:claude-sonnet-4-5", 12, 30));
  // Both providers got the same prompt, streamed.
  for (const server of [openai, anthropic]) {
    assert.equal(server.requests.length, 1);
    assert.match(server.requests[0]!.body, /Invent a holiday/);
    assert.equal(server.requests[0]!.json!.stream, true);
  }
});

test("--json prints one line per model; a failing model is reported in its place with exit code 40", async () => {
  const { env } = await providers();
  const broken = await startOpenAIServer([{ status: 401 }]);
  servers.push(broken);
  const { code, out } = await run(
    { models: ["anthropic:claude-sonnet-4-5", "openai:gpt-4.1-nano"], json: true },
    { ...env, OPENAI_BASE_URL: `${broken.url}/v1` },
  );
  assert.equal(code, 40);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 2, "JSON Lines: one line per model");
  const [ok, failed] = lines.map((line) => JSON.parse(line));
  assert.equal(ok.model, "anthropic:claude-sonnet-4-5");
  assert.equal(ok.text, anthropicAnswer);
  assert.deepEqual(ok.usage, { inputTokens: 12, outputTokens: 30 });
  assert.ok(ok.costUsd > 0);
  assert.ok(ok.timeToFirstTokenMs >= 0 && ok.latencyMs >= ok.timeToFirstTokenMs);
  assert.equal(ok.error, null);
  assert.equal(failed.model, "openai:gpt-4.1-nano");
  assert.equal(failed.text, null);
  assert.equal(failed.error.kind, "auth");
});

test("fewer than two models is a usage error", async () => {
  await assert.rejects(run({ models: ["openai:gpt-4.1-nano"] }, {}), /two models or more/);
});
