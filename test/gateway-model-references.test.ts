import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pullModel } from "../src/local/pull-model.ts";
import { openDatabase } from "../src/store/open-database.ts";
import { postRaw, startTestGateway, type TestGateway } from "./gateway-support.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { writeGguf } from "./support/write-gguf.ts";
import { writeOllamaModel } from "./support/write-ollama-model.ts";

// Issue 11: `local:<path>` from an HTTP client must not open, nor tell apart, files of the server.

const dir = makeTempDir("llmux-model-refs-");
const unlisted = join(dir, "unlisted.gguf"); // a real GGUF no configuration names
const listed = join(dir, "listed-absent.gguf"); // named by an alias, and not there
const notGguf = join(dir, "not-a-model.gguf");
let served: TestGateway;

// Paths that exist (a file, a folder, a real GGUF, a file that is not GGUF) and paths that do not.
const PATHS = [
  "/etc/passwd",
  "/root",
  "/",
  unlisted,
  notGguf,
  "/nonexistent/x.gguf",
  join(dir, "missing.gguf"),
  "~/x",
  "~/.bashrc",
  "./x.gguf",
  "../../../../etc/passwd",
  "etc/passwd",
  "tmp",
];

before(async () => {
  await writeGguf(unlisted);
  writeFileSync(notGguf, "not a model at all");
  const home = makeTempDir("llmux-model-refs-home-");
  const ollama = join(home, "ollama");
  mkdirSync(ollama);
  const source = await writeGguf(join(dir, "source.gguf"));
  await pullModel(source.path, { modelsDir: join(home, "models"), name: "stored:1b" });
  await writeOllamaModel(ollama, { namespace: "someone", model: "pulled", tag: "q4" }, source.path);
  served = await startTestGateway(
    { OLLAMA_MODELS: ollama },
    { aliases: { mine: `local:${listed}` } },
    { home },
  );
});

after(() => served.gateway.close());

/** Status and body, with the name the client sent replaced, so different names compare equal. */
async function answer(path: string, body: Record<string, unknown>, name: string) {
  const response = await postRaw(served.gateway, path, body);
  return {
    status: response.status,
    text: response.text.split(JSON.stringify(name).slice(1, -1)).join("NAME"),
  };
}

async function modelAnswer(name: string) {
  const response = await fetch(`${served.gateway.url}/v1/models/${encodeURIComponent(name)}`);
  return { status: response.status, text: (await response.text()).split(name).join("NAME") };
}

describe("local: paths through the gateway", () => {
  const routes: Array<[string, (name: string) => Promise<{ status: number; text: string }>]> = [
    [
      "/v1/chat/completions",
      (name) =>
        answer("/v1/chat/completions", { model: name, messages: [{ role: "user", content: "Hi" }] }, name),
    ],
    [
      "/v1/chat/completions (stream)",
      (name) =>
        answer(
          "/v1/chat/completions",
          { model: name, stream: true, messages: [{ role: "user", content: "Hi" }] },
          name,
        ),
    ],
    ["/v1/embeddings", (name) => answer("/v1/embeddings", { model: name, input: "Hi" }, name)],
    [
      "/app/api/summarize",
      (name) => answer("/app/api/summarize", { model: name, url: "http://127.0.0.1:9/page" }, name),
    ],
    ["/app/api/pull", (name) => answer("/app/api/pull", { model: name }, name)],
    ["/v1/models/{id}", modelAnswer],
  ];

  for (const [route, ask] of routes) {
    test(`${route}: every path the configuration does not name is the same 404, existing or not`, async () => {
      const answers = [];
      for (const path of PATHS) answers.push({ path, ...(await ask(`local:${path}`)) });
      const first = answers[0]!;
      assert.equal(first.status, 404, first.text);
      assert.equal((JSON.parse(first.text) as { error: { code: string } }).error.code, "model_not_found");
      for (const other of answers) {
        assert.deepEqual(
          { status: other.status, text: other.text },
          { status: first.status, text: first.text },
          `local:${other.path} is answered unlike local:${PATHS[0]}`,
        );
      }
    });
  }

  test("a path an alias names, and models of llmux's and Ollama's stores, get past the check", async () => {
    const chat = (name: string) =>
      postRaw(served.gateway, "/v1/chat/completions", {
        model: name,
        messages: [{ role: "user", content: "Hi" }],
        max_tokens: 1,
      });
    // The alias's file is opened: its absence is reported as such, not as an unknown model.
    const code = (text: string) => (JSON.parse(text) as { error: { code: string } }).error.code;
    const aliased = await chat("mine");
    assert.equal(code(aliased.text), "model_file_missing", aliased.text);
    const direct = await chat(`local:${listed}`);
    assert.equal(code(direct.text), "model_file_missing", direct.text);
    for (const name of ["local:stored:1b", "local:someone/pulled:q4"]) {
      const response = await chat(name);
      assert.equal(response.status, 200, `${name}: ${response.text}`);
    }
  });
});

describe("invented model names", () => {
  test("3,000 invented names: each a 404, no metrics series and no usage row for any", async () => {
    const gateway = await startTestGateway({});
    const names: string[] = [];
    for (let i = 0; i < 1000; i++) {
      names.push(`local:${join(dir, `invented-${i}.gguf`)}`, `invented-model-${i}`, `nosuch:invented-${i}`);
    }
    for (let i = 0; i < names.length; i += 50) {
      const batch = names.slice(i, i + 50);
      const statuses = await Promise.all(
        batch.map(async (name) => {
          const response = await postRaw(gateway.gateway, "/v1/chat/completions", {
            model: name,
            messages: [{ role: "user", content: "Hi" }],
          });
          return response.status;
        }),
      );
      assert.deepEqual(new Set(statuses), new Set([404]));
    }
    const metrics = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
    assert.ok(!metrics.includes("invented"), "a series names an invented model");
    assert.ok(metrics.length < 20_000, `/metrics is ${metrics.length} bytes`);
    assert.match(
      metrics,
      /llmux_gateway_requests_total\{route="chat",dialect="openai",model="unknown",provider="unknown",status="404"\} 3000/,
    );
    await gateway.gateway.close();
    const db = openDatabase(join(gateway.home, "llmux.db"));
    try {
      const rows = db.prepare("SELECT model FROM usage").all();
      assert.deepEqual(rows, []);
    } finally {
      db.close();
    }
  });
});
