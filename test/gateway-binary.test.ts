// `llmux serve` and `llmux keys` as the built binary: the bound URL on stdout, SIGTERM draining a
// stream in flight, the refusal to listen beyond loopback without keys, and the key commands.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, describe, test } from "node:test";
import OpenAI from "openai";
import { OPENAI_KEY } from "./gateway-support.ts";
import { type ProviderServer, readFixture, startOpenAIServer } from "./servers/index.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { serveBinary } from "./support/serve-binary.ts";

const servers: ProviderServer[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(servers.map((s) => s.close()));
});

describe("llmux serve (binary)", () => {
  test("prints its URL, serves, and on SIGTERM finishes the stream in flight before exiting", async () => {
    const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text", chunkDelayMs: 15 }]);
    servers.push(server);
    const home = makeHome();
    const { child, url } = await serveBinary(
      children,
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1` },
      home,
    );
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "none", maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const exited = once(child, "exit");
    let text = "";
    let signalled = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (!signalled && text.length > 0) {
        child.kill("SIGTERM");
        signalled = true;
      }
    }
    const expected = readFixture("openai/chat/openai-text")
      .lines!.map(
        (l) =>
          (JSON.parse(l) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? "",
      )
      .join("");
    assert.equal(text, expected, "the whole answer arrived after SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0);
    await assert.rejects(fetch(`${url}/healthz`), "no longer listening");
    const usage = await runCli(["usage", "--json"], { home });
    assert.equal(parseJsonLines(usage.stdout)[0]!.calls, 1, "the drained request was logged");
  });

  test("refuses to listen on 0.0.0.0 without keys: one line, exit code 3", async () => {
    const run = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"]);
    assert.equal(run.code, 3);
    assert.equal(run.stderr.trim().split("\n").length, 1);
    assert.match(run.stderr, /Refusing to listen on 0\.0\.0\.0 without gateway keys.*llmux keys create/);
  });
});

describe("llmux keys (binary)", () => {
  test("create shows the token once, list shows the key without it, revoke locks it out", async () => {
    const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
    servers.push(server);
    const home = makeHome();
    const created = await runCli(
      ["keys", "create", "--name", "ci", "--models", "openai:*", "--rpm", "60", "--budget", "5"],
      {
        home,
      },
    );
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^llmux_[A-Za-z0-9_-]{40,}$/, "the token alone on stdout");
    const notes = created.stderr.trimEnd().split("\n");
    assert.equal(notes.length, 2, created.stderr);
    assert.match(
      notes[0]!,
      /^Created gateway key (key_[0-9a-f]+) \(ci\)\. Its token is shown once: store it now\.$/,
    );
    assert.match(
      notes[1]!,
      /^Send it as Authorization: Bearer <token>; OpenAI clients take OPENAI_API_KEY=<token>/,
    );
    const listed = await runCli(["keys", "list", "--json"], { home });
    const key = parseJsonLines(listed.stdout)[0]!;
    assert.equal(notes[0]!.split(" ")[3], key.id, "the id printed at creation is the key's");
    assert.equal(key.name, "ci");
    assert.deepEqual(key.models, ["openai:*"]);
    assert.equal(key.rpm, 60);
    assert.equal(key.budgetUsd, 5);
    assert.equal(key.revokedAt, null);
    assert.doesNotMatch(listed.stdout, new RegExp(token.slice(10)));

    const { url } = await serveBinary(
      children,
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1` },
      home,
      ["--host", "0.0.0.0"],
    );
    const local = url.replace("0.0.0.0", "127.0.0.1");
    const client = (apiKey: string) => new OpenAI({ baseURL: `${local}/v1`, apiKey, maxRetries: 0 });
    const ok = await client(token).chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.ok(ok.choices[0]!.message.content);

    const revoked = await runCli(["keys", "revoke", key.id], { home });
    assert.equal(revoked.code, 0, revoked.stderr);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await client(token)
      .models.list()
      .catch((e: unknown) => e);
    assert.ok(refused instanceof OpenAI.AuthenticationError);

    const json = await runCli(["keys", "create", "--json"], { home });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, "");
    const [made, ...more] = parseJsonLines(json.stdout);
    assert.equal(more.length, 0, "one JSON line");
    assert.match(made!.id, /^key_[0-9a-f]+$/);
    assert.match(made!.token, /^llmux_[A-Za-z0-9_-]{40,}$/);
    assert.ok(
      parseJsonLines((await runCli(["keys", "list", "--json"], { home })).stdout).some(
        (k) => k.id === made!.id,
      ),
    );

    const unknown = await runCli(["keys", "revoke", "key_nope"], { home });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No gateway key "key_nope"/);
  });
});
