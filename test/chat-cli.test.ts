// `llmux chat` as the built binary in a pseudo-terminal (`script`), typed at as a person would:
// every failure prints one line and gives the prompt back; Ctrl-C, Ctrl-D and /exit do what the
// help text says; /cost counts what was said, stopped replies included.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { type ProviderServer, type ResponseSpec, startOpenAIServer } from "./servers/index.ts";
import { recordedOpenAIStream } from "./servers/recorded-streams.ts";
import { CLI, type CliRun, collect, makeHome } from "./support/run-cli.ts";

const servers: ProviderServer[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.allSettled(servers.map((s) => s.close()));
});

const OPENAI_KEY = "sk-test-openai-chat-key-123456789";
const streamedAnswer = recordedOpenAIStream("openai/chat/openai-text").text;
// Colours, cursor moves and line clears: what readline draws around what a person reads.
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;

async function openai(script: ResponseSpec[]): Promise<ProviderServer> {
  const server = await startOpenAIServer(script);
  servers.push(server);
  return server;
}

/** `llmux chat ARGS` in a pseudo-terminal, with only `env` (plus PATH and a fresh LLMUX_HOME). */
function chatInTerminal(args: string, env: Record<string, string>, home = makeHome()) {
  const child = spawn("script", ["-qfec", `${process.execPath} ${CLI} chat ${args}`, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", LLMUX_HOME: home, TERM: "xterm", NO_COLOR: "1", ...env },
  });
  children.push(child);
  let raw = "";
  child.stdout.on("data", (d: Buffer) => {
    raw += d.toString();
  });
  const exited: Promise<CliRun> = collect(child, 60_000);
  /** The screen's text so far, without escape sequences. */
  const screen = () => raw.replace(ESCAPES, "");
  let mark = 0;
  return {
    screen,
    exited,
    /** Types keys; "\r" is Enter, "\x03" Ctrl-C, "\x04" Ctrl-D. */
    type(keys: string) {
      mark = screen().length;
      child.stdin.write(keys);
    },
    /** Waits until what appeared since the last keys typed matches `pattern`; returns that text. */
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const since = screen().slice(mark);
        if (pattern.test(since)) return since;
        if (Date.now() > deadline || child.exitCode !== null) {
          assert.fail(`expected ${pattern} after the last keys; the screen since then:\n${since}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Waits for the prompt to be the last thing on the screen: the chat waits for the next line. */
    waitForPrompt(): Promise<string> {
      return this.waitFor(/› $/);
    },
  };
}

test("after a missing key and a refused key the chat prints the error and the prompt, then answers; /exit leaves with 0", async () => {
  const server = await openai([
    { status: 401, message: "Incorrect API key provided" },
    { fixture: "openai/chat/openai-text" },
  ]);
  const home = makeHome();
  writeFileSync(
    join(home, "config.json"),
    JSON.stringify({
      maxRetries: 0,
      endpoints: { loop: { baseURL: `${server.url}/v1`, apiKeyEnv: "LOOP_KEY" } },
    }),
  );
  // No OPENAI_API_KEY: the reported case.
  const chat = chatInTerminal("--model openai:gpt-4.1-mini", { LOOP_KEY: OPENAI_KEY }, home);
  await chat.waitFor(/Chatting with openai:gpt-4\.1-mini\.[\s\S]*› $/);

  chat.type("hi\r");
  const missing = await chat.waitForPrompt();
  const errors = missing.split("\n").filter((line) => line.startsWith("llmux: "));
  assert.equal(errors.length, 1, missing);
  assert.match(errors[0]!, /^llmux: No API key for OpenAI: OPENAI_API_KEY is not set\..*\/model REF/);
  assert.doesNotMatch(missing, /\n\s+at /, "no stack trace");

  chat.type("/model loop:gpt-4.1-nano\r");
  assert.match(await chat.waitForPrompt(), /Model: loop:gpt-4\.1-nano\n/);

  chat.type("hi\r");
  const refused = await chat.waitForPrompt();
  assert.match(refused, /\nllmux: .*Incorrect API key provided.*\n› $/);

  chat.type("Invent a holiday\r");
  const answered = await chat.waitForPrompt();
  assert.ok(answered.replace(/\n/g, "").includes(streamedAnswer.replace(/\n/g, "")), answered);
  assert.match(answered, /loop:gpt-4\.1-nano · \d+ in \/ \d+ out tokens/);

  chat.type("/cost\r");
  const cost = await chat.waitForPrompt();
  assert.match(
    cost,
    /\n1 reply · [1-9]\d* in \/ [1-9]\d* out tokens · \$0 \+ unknown: the price of loop:gpt-4\.1-nano\n/,
  );

  chat.type("/exit\r");
  const run = await chat.exited;
  assert.equal(run.code, 0, chat.screen());
  assert.equal(server.requests.length, 2, "the failed sends are not retried behind the user's back");
  const messages = server.requests[1]!.json!.messages as { role: string }[];
  assert.deepEqual(
    messages.map((m) => m.role),
    ["user"],
    "failed turns leave no trace in the history",
  );
});

test("Ctrl-C stops a streaming reply and /cost counts it; at an empty prompt it says how to leave; Ctrl-D leaves", async () => {
  const server = await openai([
    { fixture: "openai/chat/openai-text", stallAfterEvents: 20 },
    { fixture: "openai/chat/openai-text" },
  ]);
  const chat = chatInTerminal("--model openai:gpt-4.1-nano", {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${server.url}/v1`,
  });
  await chat.waitForPrompt();

  chat.type("Tell me a long story\r");
  await chat.waitFor(new RegExp(streamedAnswer.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  chat.type("\x03");
  await server.whenClosedByClient();
  const stopped = await chat.waitForPrompt();
  assert.match(stopped, /\nStopped\.\n› $/);

  chat.type("/cost\r");
  assert.match(
    await chat.waitForPrompt(),
    /\n1 reply \(1 stopped\) · 0 in \/ 0 out tokens · \$0 \+ unknown: the stopped reply's tokens and cost/,
  );

  chat.type("\x03");
  assert.match(await chat.waitForPrompt(), /Press Ctrl-D or type \/exit to leave\.\n› $/);

  chat.type("Again\r");
  const answered = await chat.waitForPrompt();
  assert.ok(answered.replace(/\n/g, "").includes(streamedAnswer.replace(/\n/g, "")), answered);
  const second = server.requests[1]!.json!.messages as { role: string }[];
  assert.deepEqual(
    second.map((m) => m.role),
    ["user", "assistant", "user"],
    "what the stopped reply said stays in the history",
  );

  chat.type("/cost\r");
  assert.match(
    await chat.waitForPrompt(),
    /\n2 replies \(1 stopped\) · [1-9]\d* in \/ [1-9]\d* out tokens · \$\d[\d.e-]* \+ unknown: the stopped reply's tokens and cost/,
  );

  chat.type("\x04");
  const run = await chat.exited;
  assert.equal(run.code, 0, chat.screen());
});
