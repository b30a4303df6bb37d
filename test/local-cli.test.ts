// The embedded engine through the built binary: pull from a loopback "hub", list, use, tokens,
// next-token probabilities, remove, and the download prompt for the default model.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Served, serve } from "./reader-serve.ts";
import { CLI, collect, makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { serveFile } from "./support/serve-file.ts";

const STORIES = resolve("../shared/models/stories260K.gguf");
const bytes = readFileSync(STORIES);
const SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

const hub = await serveFile(bytes, { etag: SHA256 });
after(() => hub.close());
const env = { HF_ENDPOINT: `${hub.origin}/hub` };

test("pull, models --local, ask, tokens, next and rm work together on one store", async () => {
  const home = makeHome();
  const pull = await runCli(["pull", "hf:ggml-org/models/tinyllamas/stories260K.gguf", "--name", "stories"], {
    env,
    home,
  });
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /Installed stories \(1\.2 MB\)/);
  assert.match(pull.stderr, /100%|1\.2 MB/, "progress is shown on stderr");

  const list = await runCli(["models", "--local", "--json"], { env, home });
  const model = parseJsonLines(list.stdout)[0]!;
  assert.equal(model.name, "stories");
  assert.equal(model.architecture, "llama");
  assert.equal(model.contextLength, 2048);
  assert.equal(model.sizeBytes, bytes.length);

  const ask = await runCli(
    ["ask", "Once upon a time", "--model", "local:stories", "--max-tokens", "12", "--temperature", "0"],
    { env, home },
  );
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /^, there was a little girl/);

  const tokens = await runCli(["tokens", "Once upon a time", "--model", "local:stories", "--json"], {
    env,
    home,
  });
  const counted = JSON.parse(tokens.stdout);
  assert.equal(counted.exact, true);
  assert.deepEqual(counted.pieces, ["Once", " upon", " a", " time"]);

  const next = await runCli(["next", "Once upon a", "--model", "local:stories", "--top", "3", "--json"], {
    env,
    home,
  });
  const top = parseJsonLines<{ piece: string; probability: number }>(next.stdout);
  assert.equal(top[0]!.piece, " time");
  assert.ok(top[0]!.probability > 0.9);

  const usage = parseJsonLines((await runCli(["usage", "--json"], { home })).stdout);
  assert.equal(usage[0]!.costUsd, 0, "a local model costs nothing per token");

  assert.equal((await runCli(["rm", "stories"], { env, home })).code, 0);
  const gone = await runCli(["ask", "Hi", "--model", "local:stories"], { env, home });
  assert.equal(gone.code, 6);
  assert.match(gone.stderr, /No local model named stories/);
});

test("without a terminal, a missing default model fails at once naming `llmux pull` and the alternatives", async () => {
  const run = await runCli(["ask", "Hi"], { env });
  assert.equal(run.code, 6);
  assert.match(run.stderr, /llmux pull llama3\.2:1b/);
  assert.match(run.stderr, /--model ollama:/);
  assert.match(run.stderr, /openai:/);
});

test("in a terminal, a missing default model is offered for download, then used", async () => {
  // The catalog's llama3.2:1b file, served by the loopback hub (with the tiny model's bytes).
  const home = makeHome();
  const child = spawn(
    "script",
    [
      "-qfec",
      `${process.execPath} ${CLI} ask "Once upon a time" --max-tokens 8 --temperature 0`,
      "/dev/null",
    ],
    {
      env: { PATH: process.env.PATH ?? "", LLMUX_HOME: home, TERM: "dumb", HF_ENDPOINT: `${hub.origin}/hub` },
    },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const done = collect(child);
  while (!output.includes("[Y/n]")) await new Promise((r) => setTimeout(r, 20));
  assert.match(output, /local:llama3\.2:1b is not downloaded yet\. Download it now \(808 MB\)\?/);
  child.stdin.write("y\r");
  const run = await done;
  assert.equal(run.code, 0, output);
  assert.match(output, /there was a little girl/);
  const list = parseJsonLines((await runCli(["models", "--local", "--json"], { home })).stdout);
  assert.equal(list[0]!.name, "llama3.2:1b");
  child.stdin.end();
});

describe("summarize on a fresh machine, with the default model not downloaded", () => {
  let pageRequests = 0;
  let site: Served;
  before(async () => {
    site = await serve((_req, res) => {
      pageRequests++;
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(
          `<html><head><title>Lighthouse</title></head><body><article><h1>Lighthouse</h1>${"<p>Every night the keeper lit the lamp and watched the ships pass the rocks.</p>".repeat(5)}</article></body></html>`,
        );
    });
  });
  after(() => site.close());

  test("without a terminal it fails before fetching the page, naming the pull command as the user runs llmux", async () => {
    const before = pageRequests;
    const direct = await runCli(["summarize", `${site.origin}/a`, "--allow-private"], { env });
    assert.equal(direct.code, 6);
    assert.match(
      direct.stderr,
      /^llmux: The local model llama3\.2:1b is not downloaded\. Download it with `llmux pull llama3\.2:1b`/,
    );
    assert.equal(direct.stderr.trim().split("\n").length, 1);
    // npx (npm exec) sets npm_command=exec in the environment of what it starts.
    const viaNpx = await runCli(["summarize", `${site.origin}/a`, "--allow-private"], {
      env: { ...env, npm_command: "exec" },
    });
    assert.equal(viaNpx.code, 6);
    assert.match(viaNpx.stderr, /Download it with `npx llmux pull llama3\.2:1b`/);
    assert.equal(pageRequests, before, "the page was never fetched");
  });

  test("in a terminal it is offered; `n` stops before the page is fetched, `y` downloads it and summarizes", async () => {
    const home = makeHome();
    // A target shorter than the page, which would otherwise be printed as it is, without the model.
    const command = `${process.execPath} ${CLI} summarize ${site.origin}/lighthouse --allow-private --length 100`;
    const run = async (answer: string) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        env: { PATH: process.env.PATH ?? "", LLMUX_HOME: home, TERM: "dumb", LLMUX_THREADS: "1", ...env },
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => {
        output += d.toString();
      });
      const done = collect(child, 120_000);
      while (!output.includes("[Y/n]")) await new Promise((r) => setTimeout(r, 20));
      assert.match(
        output,
        /local:llama3\.2:1b is not downloaded yet\. Download it now \(808 MB\)\? \[Y\/n\]/,
      );
      child.stdin.write(`${answer}\r`);
      const result = await done;
      child.stdin.end();
      return { code: result.code, output };
    };

    const before = pageRequests;
    const declined = await run("n");
    assert.equal(declined.code, 6, declined.output);
    assert.match(declined.output, /llmux pull llama3\.2:1b/);
    assert.equal(pageRequests, before, "declining fetched nothing");

    const accepted = await run("y");
    assert.equal(accepted.code, 0, accepted.output);
    assert.match(accepted.output, /1\.2 MB/, "the download's progress is shown");
    assert.equal(pageRequests, before + 1, "the page was fetched once the model was there");
    // The summary streamed, then the line with the model, tokens and cost.
    assert.match(accepted.output, /local:llama3\.2:1b · \d+ in \/ \d+ out tokens · \$0/);
  });
});
