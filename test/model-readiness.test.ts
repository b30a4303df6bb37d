// "Ready" means "will answer now", in `llmux models` (the built binary), GET /v1/models and the
// web app's /app/api/models: keys for cloud providers, files on disk for the embedded engine, a
// loopback Ollama or OpenAI-compatible endpoint answering its probe for servers.
import assert from "node:assert/strict";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pullModel } from "../src/local/pull-model.ts";
import { OPENAI_KEY, startTestGateway } from "./gateway-support.ts";
import {
  ollamaResponses,
  type ProviderServer,
  type ResponseSpec,
  startOllamaServer,
  startProviderServer,
} from "./servers/index.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { writeGguf } from "./support/write-gguf.ts";
import { writeOllamaModel } from "./support/write-ollama-model.ts";

const servers: ProviderServer[] = [];
const closers: Array<() => Promise<void>> = [];
after(async () => {
  await Promise.allSettled(servers.map((s) => s.close()));
  for (const close of closers) await close();
});

interface Row {
  reference: string;
  provider: string;
  ready: boolean;
  reason: string | null;
}

/** A home of its own, where Ollama's store and AWS's credentials are looked for too. */
function isolatedHome(): { home: string; env: Record<string, string> } {
  const home = makeHome();
  return { home, env: { HOME: home, OLLAMA_MODELS: join(home, "ollama") } };
}

async function ollama(script: ResponseSpec[]): Promise<ProviderServer> {
  const server = await startOllamaServer(script);
  servers.push(server);
  return server;
}

/** An OpenAI-compatible server's `GET <prefix>/models`, in OpenAI's list shape. */
async function modelListServer(ids: string[]): Promise<ProviderServer> {
  const server = await startProviderServer(
    {
      classify: (req) => (req.method === "GET" && req.pathname.endsWith("/models") ? "json" : undefined),
      streamContentType: "text/event-stream",
      frame: (line) => line,
      errorResponse: (_status, message) => ({ body: { error: { message, type: "invalid_request_error" } } }),
    },
    [
      {
        json: {
          object: "list",
          data: ids.map((id) => ({ id, object: "model", created: 1, owned_by: "vllm" })),
        },
      },
    ],
  );
  servers.push(server);
  return server;
}

async function models(args: string[], env: Record<string, string>, home: string): Promise<Row[]> {
  const run = await runCli(["models", "--json", ...args], { env, home });
  assert.equal(run.code, 0, run.stderr);
  return parseJsonLines<Row>(run.stdout);
}

const OPENAI = { OPENAI_API_KEY: OPENAI_KEY };

describe("llmux models: ready means it answers now", () => {
  test("with an OpenAI key, no Ollama and no local model, --configured lists OpenAI's models only", async () => {
    const { home, env } = isolatedHome();
    const noOllama = { ...env, ...OPENAI, OLLAMA_HOST: await closedLoopbackUrl() };
    const ready = await models(["--configured"], noOllama, home);
    assert.ok(ready.some((r) => r.reference === "openai:gpt-4.1-nano"));
    assert.deepEqual(
      ready.filter((r) => r.provider !== "openai" || !r.ready || r.reason !== null),
      [],
    );

    const all = await models([], noOllama, home);
    const reasonOf = (reference: string) => all.find((r) => r.reference === reference)?.reason;
    assert.equal(reasonOf("openai:gpt-4.1-nano"), null);
    assert.equal(reasonOf("anthropic:claude-sonnet-4-5"), "no key");
    assert.equal(reasonOf("local:llama3.2:1b"), "not downloaded");
    assert.equal(reasonOf("ollama:llama3.2:1b"), "not running");
  });

  test("the table's READY column says yes or the reason", async () => {
    const { home, env } = isolatedHome();
    const run = await runCli(["models", "--provider", "anthropic"], { env, home });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^MODEL\s+WEIGHTS\s+CONTEXT\s+\$IN\/1M\s+\$OUT\/1M\s+PRICED\s+READY\n/);
    assert.match(run.stdout, /anthropic:claude-sonnet-4-5 .* no key\n/);
    const withKey = await runCli(["models", "--provider", "openai"], { env: { ...env, ...OPENAI }, home });
    assert.match(withKey.stdout, /openai:gpt-4\.1-nano .* yes\n/);
  });

  test("a running Ollama's pulled models are ready, catalog ones it lacks are not downloaded", async () => {
    const server = await ollama([ollamaResponses.tags(["llama3.2:1b", "qwen3:4b"])]);
    const { home, env } = isolatedHome();
    const all = await models(["--provider", "ollama"], { ...env, OLLAMA_HOST: server.url }, home);
    const find = (reference: string) => all.find((r) => r.reference === reference);
    assert.deepEqual([find("ollama:llama3.2:1b")?.ready, find("ollama:llama3.2:1b")?.reason], [true, null]);
    assert.equal(find("ollama:qwen3:4b")?.ready, true, "a pulled model the catalog does not know");
    assert.equal(find("ollama:gemma3:1b")?.reason, "not downloaded");
    assert.deepEqual(
      (await models(["--configured"], { ...env, OLLAMA_HOST: server.url }, home)).map((r) => r.reference),
      ["ollama:llama3.2:1b", "ollama:qwen3:4b"],
    );
    assert.equal(server.requests[0]?.pathname, "/api/tags");
  });

  test("local models on disk are ready: llmux's store and Ollama's, used without Ollama running", async () => {
    const { home, env } = isolatedHome();
    const gguf = await writeGguf(join(home, "src.gguf"), { contextLength: 1024 });
    await pullModel(gguf.path, { modelsDir: join(home, "models"), name: "tiny:1b" });
    await writeOllamaModel(env.OLLAMA_MODELS!, { model: "llama3.2", tag: "1b" }, gguf.path);
    const ready = await models(["--configured"], { ...env, OLLAMA_HOST: await closedLoopbackUrl() }, home);
    assert.deepEqual(
      ready.map((r) => r.reference),
      ["local:llama3.2:1b", "local:tiny:1b"],
    );
  });

  test("a declared endpoint lists what its GET /models answers; while it is down, the config's models, not running", async () => {
    const server = await modelListServer(["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-8B"]);
    const { home, env } = isolatedHome();
    const endpoint = { apiKeyEnv: "VLLM_API_KEY", models: ["declared-model"] };
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ endpoints: { vllm: { baseURL: `${server.url}/v1`, ...endpoint } } }),
    );
    const up = await models(["--configured"], { ...env, VLLM_API_KEY: "vllm-secret" }, home);
    assert.deepEqual(
      up.filter((r) => r.provider === "vllm").map((r) => r.reference),
      ["vllm:meta-llama/Llama-3.1-8B-Instruct", "vllm:Qwen/Qwen3-8B"],
    );
    assert.equal(server.requests[0]?.pathname, "/v1/models");
    assert.equal(server.requests[0]?.headers.authorization, "Bearer vllm-secret");

    const downHome = isolatedHome();
    writeFileSync(
      join(downHome.home, "config.json"),
      JSON.stringify({ endpoints: { vllm: { baseURL: `${await closedLoopbackUrl()}/v1`, ...endpoint } } }),
    );
    const down = await models(["--provider", "vllm"], downHome.env, downHome.home);
    assert.deepEqual(
      down.map((r) => [r.reference, r.ready, r.reason]),
      [["vllm:declared-model", false, "not running"]],
    );
    assert.deepEqual(await models(["--configured", "--provider", "vllm"], downHome.env, downHome.home), []);
  });

  test("a probe's answer is reused for a minute, by the next process too, from a file only the user reads", async () => {
    const server = await ollama([ollamaResponses.tags(["llama3.2:1b"])]);
    const { home, env } = isolatedHome();
    const withOllama = { ...env, OLLAMA_HOST: server.url };
    for (let run = 0; run < 2; run++) {
      const ready = await models(["--configured", "--provider", "ollama"], withOllama, home);
      assert.deepEqual(
        ready.map((r) => r.reference),
        ["ollama:llama3.2:1b"],
      );
    }
    assert.equal(server.requests.length, 1, "the second run asked the cache, not the server");
    assert.equal(statSync(join(home, "probes.json")).mode & 0o777, 0o600);
    // Commands that list no models probe nothing.
    const other = await ollama([ollamaResponses.tags([])]);
    await runCli(["--help"], { env: { ...env, OLLAMA_HOST: other.url }, home });
    await runCli(["models", "--local"], { env: { ...env, OLLAMA_HOST: other.url }, home });
    assert.equal(other.requests.length, 0);
  });
});

describe("the gateway lists only models that answer now", () => {
  async function gateway(env: Record<string, string>, config: Record<string, unknown> = {}) {
    const { home, env: isolated } = isolatedHome();
    const started = await startTestGateway({ ...isolated, ...env }, config, { home });
    closers.push(() => started.gateway.close());
    return started;
  }

  test("GET /v1/models: keyed providers, a running Ollama's models and aliases to them; nothing else", async () => {
    const server = await ollama([ollamaResponses.tags(["llama3.2:1b"])]);
    const { client } = await gateway(
      { ...OPENAI, OLLAMA_HOST: server.url },
      {
        aliases: {
          fast: "openai:gpt-4.1-nano",
          pulled: "ollama:llama3.2:1b",
          offline: "anthropic:claude-sonnet-4-5",
        },
      },
    );
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    for (const id of ["openai:gpt-4.1-nano", "ollama:llama3.2:1b", "fast", "pulled"]) {
      assert.ok(ids.includes(id), id);
    }
    assert.deepEqual(
      ids.filter((id) => /^(anthropic|local):/.test(id) || id === "offline" || id === "ollama:gemma3:1b"),
      [],
    );
    const missing = await client()
      .models.retrieve("local:llama3.2:1b")
      .catch((e: { status?: number }) => e);
    assert.equal((missing as { status?: number }).status, 404);
  });

  test("GET /app/api/models: every model with ready and reason; the default falls back to the first ready model", async () => {
    const { gateway: gw } = await gateway({
      ...OPENAI,
      OLLAMA_HOST: await closedLoopbackUrl(),
      LLMUX_MODEL: "local:llama3.2:1b",
    });
    const list = (await (await fetch(`${gw.url}/app/api/models`)).json()) as {
      defaultModel: string;
      groups: { models: { reference: string; ready: boolean; reason: string | null }[] }[];
    };
    const all = list.groups.flatMap((g) => g.models);
    const find = (reference: string) => all.find((m) => m.reference === reference);
    assert.deepEqual(
      [find("openai:gpt-4.1-nano"), find("anthropic:claude-sonnet-4-5"), find("ollama:llama3.2:1b")].map(
        (m) => [m?.ready, m?.reason],
      ),
      [
        [true, null],
        [false, "no key"],
        [false, "not running"],
      ],
    );
    assert.equal(find("local:llama3.2:1b")?.reason, "not downloaded");
    // LLMUX_MODEL is not downloaded, so the UI starts on the first model that answers.
    assert.equal(list.defaultModel, all.find((m) => m.ready)?.reference);
    assert.match(list.defaultModel, /^openai:/);
  });
});
