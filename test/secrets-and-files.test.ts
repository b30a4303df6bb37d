// Issue 11: credentials the configuration resolves never come back out (responses, stream error
// events, CLI stderr with and without --debug, the usage log), and the files llmux keeps are the
// user's alone (folders 0700, database and caches 0600, whatever the umask).
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { writeFileAtomic } from "../src/core/write-file-atomic.ts";
import { pullModel } from "../src/local/pull-model.ts";
import { createServerProbe } from "../src/providers/create-server-probe.ts";
import { openDatabase } from "../src/store/open-database.ts";
import { postRaw, startTestGateway } from "./gateway-support.ts";
import {
  type ProviderServer,
  readFixture,
  startAnthropicServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { makeHome, runCli } from "./support/run-cli.ts";
import { writeGguf } from "./support/write-gguf.ts";

// Shaped like no known key: only the exact values the configuration resolved can catch them.
const CONFIG_KEY = "cfg-secret-0123456789";
const ANTHROPIC_CONFIG_KEY = "cfg-anthropic-secret-9876543210";
const HEADER_TOKEN = "cfg-header-token-5555555555";
const ENV_NAMED_CRED = "cred-from-env-4444444444";
const SECRETS = [CONFIG_KEY, ANTHROPIC_CONFIG_KEY, HEADER_TOKEN, ENV_NAMED_CRED];

const servers: ProviderServer[] = [];
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
  await Promise.all(servers.map((s) => s.close()));
});

async function openai(script: Parameters<typeof startOpenAIServer>[0]) {
  const server = await startOpenAIServer(script);
  servers.push(server);
  return server;
}

/** Never one of the secrets, and the place where one was echoed says so. */
function assertScrubbed(text: string, what: string) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${what} holds ${secret}: ${text}`);
  assert.match(text, /\[redacted\]/, `${what} should show where a secret was scrubbed: ${text}`);
}

function usageText(home: string): string {
  const db = openDatabase(join(home, "llmux.db"));
  try {
    return JSON.stringify(db.prepare("SELECT * FROM usage").all());
  } finally {
    db.close();
  }
}

const hi = [{ role: "user", content: "Hi" }];

describe("secrets the configuration resolves are redacted", () => {
  test("gateway: an upstream that echoes the config file's key in its error body and in a stream error", async () => {
    const server = await openai([
      { status: 401, message: `Incorrect API key provided: ${CONFIG_KEY}` },
      { chunks: [{ error: { message: `The key ${CONFIG_KEY} is over its quota`, type: "server_error" } }] },
      {
        chunks: [
          {
            id: "c",
            object: "chat.completion.chunk",
            created: 1,
            model: "m",
            choices: [{ index: 0, delta: { content: "Hel" } }],
          },
          { error: { message: `The key ${CONFIG_KEY} ran out mid-answer`, type: "server_error" } },
        ],
      },
    ]);
    const { gateway, home } = await startTestGateway(
      {},
      { providers: { openai: { apiKey: CONFIG_KEY, baseURL: `${server.url}/v1` } } },
    );
    const refused = await postRaw(gateway, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
    });
    assert.equal(refused.status, 401, refused.text);
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${CONFIG_KEY}`);
    assertScrubbed(refused.text, "the 401 body");
    const streamed = await postRaw(gateway, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
      stream: true,
    });
    assertScrubbed(streamed.text, "the stream's error");
    // Bytes are relayed as they come; an error event after them is scrubbed all the same.
    const late = await postRaw(gateway, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
      stream: true,
    });
    assert.equal(late.status, 200, late.text);
    assert.match(late.text, /"content":"Hel"/);
    assertScrubbed(late.text, "the error event mid-stream");
    await gateway.close();
    for (const secret of SECRETS) assert.ok(!usageText(home).includes(secret));
  });

  test("gateway: a translated provider's error event mid-stream, with the config file's key in it", async () => {
    const lines = readFixture("anthropic/anthropic-text").lines!;
    const server = await startAnthropicServer([
      {
        chunks: [
          ...lines
            .slice(0, lines.findIndex((line) => line.includes("content_block_delta")) + 1)
            .map((line) => JSON.parse(line) as unknown),
          {
            type: "error",
            error: { type: "overloaded_error", message: `Overloaded for ${ANTHROPIC_CONFIG_KEY}` },
          },
        ],
      },
    ]);
    servers.push(server);
    const { gateway } = await startTestGateway(
      {},
      { providers: { anthropic: { apiKey: ANTHROPIC_CONFIG_KEY, baseURL: `${server.url}/v1` } } },
    );
    closers.push(() => gateway.close());
    const response = await postRaw(gateway, "/v1/chat/completions", {
      model: "anthropic:claude-haiku-4-5",
      messages: hi,
      stream: true,
    });
    assert.equal(response.status, 200, response.text);
    assert.match(response.text, /overloaded|mid-answer/i);
    assertScrubbed(response.text, "the stream's error event");
  });

  test("gateway: an endpoint's header token and its apiKeyEnv variable, echoed bare", async () => {
    const server = await openai([
      { status: 403, message: `Token ${HEADER_TOKEN} may not use this model` },
      { status: 403, message: `Credential ${ENV_NAMED_CRED} may not use this model` },
    ]);
    const { gateway } = await startTestGateway(
      { VLLM_CRED: ENV_NAMED_CRED },
      {
        endpoints: {
          vllm: { baseURL: `${server.url}/v1`, headers: { authorization: `Bearer ${HEADER_TOKEN}` } },
          other: { baseURL: `${server.url}/v1`, apiKeyEnv: "VLLM_CRED" },
        },
      },
    );
    closers.push(() => gateway.close());
    const first = await postRaw(gateway, "/v1/chat/completions", { model: "vllm:m", messages: hi });
    assertScrubbed(first.text, "the header token's 403");
    const second = await postRaw(gateway, "/v1/chat/completions", { model: "other:m", messages: hi });
    assertScrubbed(second.text, "the env credential's 403");
  });

  test("CLI: the config file's key echoed by the provider is not on stderr, with or without --debug", async () => {
    const server = await openai([{ status: 401, message: `Incorrect API key provided: ${CONFIG_KEY}` }]);
    const home = makeHome();
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ providers: { openai: { apiKey: CONFIG_KEY, baseURL: `${server.url}/v1` } } }),
    );
    for (const debug of [[], ["--debug"]]) {
      const run = await runCli(["ask", "Hi", "--model", "openai:gpt-4.1-nano", ...debug], { home });
      assert.equal(run.code, 5, run.stderr);
      assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${CONFIG_KEY}`);
      assertScrubbed(run.stderr + run.stdout, `stderr${debug.length ? " with --debug" : ""}`);
    }
    for (const secret of SECRETS) assert.ok(!usageText(home).includes(secret));
  });
});

/** Runs `body` with the given umask, so the modes checked cannot come from the umask. */
async function withUmask<T>(mask: number, body: () => Promise<T> | T): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await body();
  } finally {
    process.umask(previous);
  }
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("files llmux keeps are private", () => {
  test("the database: new folders 0700, the file and its -wal and -shm 0600, whatever the umask", async () => {
    const root = makeTempDir("llmux-modes-");
    const path = join(root, "data", "llmux", "llmux.db");
    await withUmask(0, () => {
      const db = openDatabase(path);
      db.prepare(
        "INSERT INTO conversations (id, title, created_ms, updated_ms) VALUES ('c', 't', 0, 0)",
      ).run();
      assert.ok(existsSync(`${path}-wal`) && existsSync(`${path}-shm`));
      for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(mode(file), 0o600, file);
      db.close();
    });
    assert.equal(mode(join(root, "data")), 0o700);
    assert.equal(mode(join(root, "data", "llmux")), 0o700);
  });

  test("an existing database readable by others is made 0600 when opened", () => {
    const root = makeTempDir("llmux-modes-");
    const path = join(root, "llmux.db");
    openDatabase(path).close();
    chmodSync(path, 0o644);
    openDatabase(path).close();
    assert.equal(mode(path), 0o600);
    assert.equal(mode(root), 0o700, "a folder that existed keeps its mode");
  });

  test("writeFileAtomic keeps a replaced file's mode; a mode asked for is given whatever the umask", async () => {
    const root = makeTempDir("llmux-modes-");
    const secret = join(root, "secret.md");
    const shared = join(root, "shared.md");
    writeFileSync(secret, "old");
    chmodSync(secret, 0o600);
    writeFileSync(shared, "old");
    chmodSync(shared, 0o640);
    await withUmask(0, async () => {
      await writeFileAtomic(secret, "new");
      await writeFileAtomic(shared, "new");
      await writeFileAtomic(join(root, "cache", "deep", "probe.json"), "{}", { mode: 0o600 });
    });
    assert.equal(readFileSync(secret, "utf8"), "new");
    assert.equal(mode(secret), 0o600);
    assert.equal(mode(shared), 0o640);
    assert.equal(mode(join(root, "cache", "deep", "probe.json")), 0o600);
    assert.equal(mode(join(root, "cache")), 0o700);
    assert.equal(mode(join(root, "cache", "deep")), 0o700);
    await withUmask(0o022, () => writeFileAtomic(join(root, "plain.md"), "x"));
    assert.equal(mode(join(root, "plain.md")), 0o644, "a new file without a mode gets the umask's default");
  });

  test("the probe cache is written 0600 in a 0700 folder", async () => {
    const root = makeTempDir("llmux-modes-");
    const file = join(root, "data", "probes.json");
    const probe = createServerProbe(file);
    await withUmask(0, async () =>
      probe({ url: `${await closedLoopbackUrl()}/v1/models`, readModels: () => [] }),
    );
    assert.equal(mode(file), 0o600);
    assert.equal(mode(join(root, "data")), 0o700);
  });

  test("the model store `llmux pull` creates is 0700", async () => {
    const root = makeTempDir("llmux-modes-");
    const source = await writeGguf(join(root, "source.gguf"));
    const modelsDir = join(root, "cache", "llmux", "models");
    await withUmask(0, () => pullModel(source.path, { modelsDir, name: "tiny" }));
    for (const dir of ["cache", "cache/llmux", "cache/llmux/models", "cache/llmux/models/.partial"]) {
      assert.equal(mode(join(root, dir)), 0o700, dir);
    }
  });

  test("`llmux summarize -o` rewrites a 0600 file as 0600", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const home = makeHome();
    const dir = makeTempDir("llmux-out-");
    mkdirSync(join(dir, "out"));
    const page = join(dir, "page.md");
    writeFileSync(page, `# A page\n\n${"Words that make a paragraph worth a summary. ".repeat(20)}\n`);
    const output = join(dir, "out", "summary.md");
    writeFileSync(output, "an older summary");
    chmodSync(output, 0o600);
    const run = await runCli(["summarize", page, "--model", "openai:gpt-4.1-nano", "-o", output], {
      home,
      env: { OPENAI_API_KEY: "sk-test-modes-123456", OPENAI_BASE_URL: `${server.url}/v1` },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.notEqual(readFileSync(output, "utf8"), "an older summary");
    assert.equal(mode(output), 0o600);
  });
});
