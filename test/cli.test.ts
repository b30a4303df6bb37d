// The built `llmux` binary, run as a user would, against loopback provider servers.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  type ProviderServer,
  type ResponseSpec,
  readFixture,
  startAnthropicServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { recordedOpenAIStream } from "./servers/recorded-streams.ts";
import { CLI, collect, makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";

const servers: ProviderServer[] = [];
after(() => Promise.allSettled(servers.map((s) => s.close())));

const OPENAI_KEY = "sk-test-openai-cli-key-987654321";
const openAIText = readFixture("openai/chat/openai-text");
const answer = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
/** The text of the recorded stream (a different recording from the JSON one). */
const streamedAnswer = recordedOpenAIStream("openai/chat/openai-text").text;

async function openai(script: ResponseSpec[]) {
  const server = await startOpenAIServer(script);
  servers.push(server);
  return { server, env: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1` } };
}

/** A home whose config turns retries off, so error tests answer at once. */
function homeWithoutRetries(): string {
  const home = makeHome();
  writeFileSync(join(home, "config.json"), JSON.stringify({ maxRetries: 0 }));
  return home;
}

const ANSI = /\x1b\[/;

describe("llmux ask", () => {
  test("streams the answer to stdout, plain when piped, and adds piped stdin as context", async () => {
    const { server, env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    const run = await runCli(["ask", "Invent a holiday", "--model", "openai:gpt-4.1-nano"], {
      env,
      stdin: "Context: it is about the stars.",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${streamedAnswer}\n`);
    assert.doesNotMatch(run.stdout, ANSI);
    const sent = JSON.stringify(server.requests[0]!.json);
    assert.match(sent, /Invent a holiday/);
    assert.match(sent, /it is about the stars/);
    assert.equal(server.requests[0]!.json!.stream, true);
  });

  test("--json prints one object with text, model, provider, usage, cost and latency", async () => {
    const { env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    const run = await runCli(["ask", "Hi", "--model", "gpt-4.1-nano", "--json", "--temperature", "0.2"], {
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(result), ["text", "model", "provider", "usage", "costUsd", "latencyMs"]);
    assert.equal(result.text, answer);
    assert.equal(result.model, "openai:gpt-4.1-nano");
    assert.equal(result.provider, "openai");
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
    assert.ok(result.costUsd > 0);
  });

  test("--schema prints JSON that is valid against the schema", async () => {
    const server = await startAnthropicServer([{ fixture: "anthropic/anthropic-json-output-format.1" }]);
    servers.push(server);
    const home = makeHome();
    const schemaPath = join(home, "recipe.schema.json");
    writeFileSync(
      schemaPath,
      JSON.stringify({
        type: "object",
        properties: {
          recipe: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
        },
        required: ["recipe"],
      }),
    );
    const run = await runCli(
      ["ask", "A lasagna recipe", "--model", "anthropic:claude-sonnet-4-5", "--schema", schemaPath],
      {
        env: { ANTHROPIC_API_KEY: "sk-ant-test-123456789", ANTHROPIC_BASE_URL: `${server.url}/v1` },
        home,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).recipe.name, "Classic Lasagna");
  });

  for (const [status, code] of [
    [401, 5],
    [404, 6],
    [429, 7],
    [500, 8],
    [400, 9],
  ] as const) {
    test(`HTTP ${status} exits ${code} with one line on stderr and no stack or key`, async () => {
      const { env } = await openai([{ status, message: `rejected key ${OPENAI_KEY}` }]);
      const run = await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano"], {
        env,
        home: homeWithoutRetries(),
      });
      assert.equal(run.code, code);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, /^llmux: /);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      assert.ok(!run.stderr.includes(OPENAI_KEY), "the key is redacted");
    });
  }

  test("--debug adds the stack trace", async () => {
    const { env } = await openai([{ status: 500 }]);
    const run = await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano", "--debug"], {
      env,
      home: homeWithoutRetries(),
    });
    assert.equal(run.code, 8);
    assert.match(run.stderr, /\n\s+at /);
  });

  test("a missing key names the variable to set (exit 4)", async () => {
    const run = await runCli(["ask", "Hi", "--model", "anthropic:claude-sonnet-4-5"]);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /ANTHROPIC_API_KEY is not set/);
  });

  test("a server that is down is connection_refused (exit 31)", async () => {
    const { server, env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    await server.close();
    const run = await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano"], {
      env,
      home: homeWithoutRetries(),
    });
    assert.equal(run.code, 31);
    assert.match(run.stderr, /refused the connection/);
  });

  test("bad usage exits 2 with a hint", async () => {
    for (const args of [
      ["ask"],
      ["ask", "x", "--bogus"],
      ["nosuchcommand"],
      ["ask", "x", "--temperature", "hot"],
    ]) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /^llmux: .+/);
    }
  });

  test("the default model comes from LLMUX_MODEL, then the config file", async () => {
    const { server, env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    const home = makeHome();
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ defaultModel: "openai:gpt-4o", aliases: { fast: "openai:gpt-4.1-nano" } }),
    );
    await runCli(["ask", "Hi"], { env, home });
    await runCli(["ask", "Hi"], { env: { ...env, LLMUX_MODEL: "fast" }, home });
    assert.deepEqual(
      server.requests.map((r) => r.json!.model),
      ["gpt-4o", "gpt-4.1-nano"],
    );
  });

  /** `llmux ask` in a pseudo-terminal, as a user at a terminal runs it. */
  async function askInTerminal(extraEnv: Record<string, string> = {}) {
    const { env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    const command = `${process.execPath} ${CLI} ask Hi --model openai:gpt-4.1-nano`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", LLMUX_HOME: makeHome(), TERM: "xterm", ...env, ...extraEnv },
    });
    child.stdin.end();
    return collect(child);
  }

  test("in a terminal the answer is rendered Markdown", async () => {
    const run = await askInTerminal();
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /\x1b\[1mHoliday Name:\x1b\[22m/, "bold text is bold, without the asterisks");
    assert.doesNotMatch(run.stdout, /\*\*Holiday Name/);
  });

  test("NO_COLOR keeps a terminal's output plain", async () => {
    const run = await askInTerminal({ NO_COLOR: "1" });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /\*\*Holiday Name:\*\*/);
    assert.doesNotMatch(run.stdout, ANSI);
  });
});

describe("llmux chat", () => {
  test("keeps the history across turns and understands /system, /model, /cost and /clear", async () => {
    const { server, env } = await openai([{ fixture: "openai/chat/openai-text" }]);
    const run = await runCli(["chat", "--model", "openai:gpt-4.1-nano"], {
      env,
      stdin:
        "First question\n/system Be brief\nSecond question\n/model openai:gpt-4o\n/cost\n/clear\nThird\n/exit\n",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, 3);
    const second = server.requests[1]!.json!.messages as { role: string; content: unknown }[];
    assert.deepEqual(
      second.map((m) => m.role),
      ["system", "user", "assistant", "user"],
    );
    assert.match(JSON.stringify(second[0]), /Be brief/);
    const third = server.requests[2]!.json!;
    assert.equal(third.model, "gpt-4o");
    assert.equal((third.messages as unknown[]).length, 2, "history cleared: system + one user message");
    assert.match(run.stdout, /2 replies · \d+ in \/ \d+ out tokens · \$/);
  });

  test("Ctrl-C stops the current reply without leaving the chat", async () => {
    const { server, env } = await openai([
      { fixture: "openai/chat/openai-text", stallAfterEvents: 20 },
      { fixture: "openai/chat/openai-text" },
    ]);
    const child = spawn(process.execPath, [CLI, "chat", "--model", "openai:gpt-4.1-nano"], {
      env: { PATH: process.env.PATH ?? "", LLMUX_HOME: makeHome(), ...env },
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const done = collect(child);
    child.stdin.write("Tell me a long story\n");
    while (stdout.length < 20) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    await server.whenClosedByClient();
    child.stdin.end("Again\n/exit\n");
    const run = await done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(stdout, /\nStopped\.\n/);
    assert.ok(stdout.includes(streamedAnswer), "the chat went on and answered the next message");
  });
});

describe("llmux models and usage", () => {
  test("a call that fails before reaching the provider is logged as an error of the model asked for, at no cost", async () => {
    const home = homeWithoutRetries();
    const failed = await runCli(["ask", "Hi", "--model", "anthropic:claude-haiku-4-5"], { home });
    assert.equal(failed.code, 4, failed.stderr);
    const local = await runCli(["ask", "Hi", "--model", "local:./missing.gguf"], { home });
    assert.notEqual(local.code, 0);
    const rows = parseJsonLines((await runCli(["usage", "--json"], { home })).stdout);
    const anthropic = rows.find((r) => r.provider === "anthropic")!;
    assert.equal(anthropic.model, "claude-haiku-4-5");
    assert.equal(anthropic.calls, 1);
    assert.equal(anthropic.errors, 1);
    assert.equal(anthropic.costUsd, 0, "nothing was sent, so nothing was spent");
    const table = (await runCli(["usage"], { home })).stdout;
    assert.doesNotMatch(table, /\+\?/, "a failed local call's cost is known: $0, not $0+?");
    assert.match(table, /total\s+2\s+2\s+0\s+0\s+\$0\s/);
  });

  test("models --json lists the catalog, saying which models are ready", async () => {
    const run = await runCli(["models", "--json"], { env: { OPENAI_API_KEY: OPENAI_KEY } });
    assert.equal(run.code, 0, run.stderr);
    const rows = parseJsonLines<{
      reference: string;
      ready: boolean;
      reason: string | null;
      weights: string;
      category: string;
    }>(run.stdout);
    const find = (ref: string) => rows.find((r) => r.reference === ref);
    assert.equal(find("openai:gpt-4o")?.ready, true);
    assert.equal(find("anthropic:claude-sonnet-4-5")?.reason, "no key");
    assert.equal(find("ollama:llama3.2:1b")?.weights, "open");
    for (const category of ["frontier", "managed", "server", "local"]) {
      assert.ok(
        rows.some((r) => r.category === category),
        `a ${category} model`,
      );
    }
  });

  test("models prints a table with prices, and '?' where the price is unknown", async () => {
    const run = await runCli(["models", "--provider", "groq"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^MODEL\s+WEIGHTS\s+CONTEXT\s+\$IN\/1M\s+\$OUT\/1M/);
    assert.match(run.stdout, /groq:\S+\s+open/);
  });

  test("usage sums the calls made through the CLI, by day and model", async () => {
    const { env } = await openai([{ fixture: "openai/chat/openai-text" }, { status: 500 }]);
    const home = homeWithoutRetries();
    await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano"], { env, home });
    await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano"], { env, home });
    const run = await runCli(["usage", "--json"], { env, home });
    assert.equal(run.code, 0, run.stderr);
    const row = parseJsonLines(run.stdout)[0]!;
    assert.equal(row.provider, "openai");
    assert.equal(row.model, "gpt-4.1-nano");
    assert.equal(row.calls, 2);
    assert.equal(row.errors, 1);
    assert.ok(row.costUsd > 0);
    const table = await runCli(["usage"], { env, home });
    assert.match(table.stdout, /openai:gpt-4\.1-nano\s+2\s+1/);
    const future = await runCli(["usage", "--since", "2999-01-01"], { home });
    assert.equal(future.code, 0);
    assert.match(future.stdout, /No calls logged since 2999-01-01/);
    assert.equal((await runCli(["usage", "--since", "yesterday"], { home })).code, 2);
  });
});
