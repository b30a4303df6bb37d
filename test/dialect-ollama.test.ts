// Ollama's API on the gateway, driven by the official `ollama` npm client and the course's Python
// code (`requests`), against the three kinds of upstream: the embedded engine (the tiny
// TinyStories model, pulled through /api/pull from a loopback hub as the catalog's llama3.2:1b),
// an OpenAI server reached by translation, and an Ollama server whose bytes pass through.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Ollama } from "ollama";
import { isLlmuxError } from "../src/core/errors.ts";
import { loadConfig } from "../src/core/load-config.ts";
import { startGateway } from "../src/gateway/start-gateway.ts";
import { localEngine } from "../src/local/local-engine.ts";
import {
  ANTHROPIC_KEY,
  gatewayTestServers,
  homeWithKeys,
  openaiEnv,
  type TestGateway,
} from "./gateway-support.ts";
import {
  ollamaResponses,
  readFixture,
  recordedOpenAIStream,
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { runCli } from "./support/run-cli.ts";
import { type ServedFile, serveFile } from "./support/serve-file.ts";

const STORIES = readFileSync(resolve("../shared/models/stories260K.gguf"));
const SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
const openAIText = readFixture("openai/chat/openai-text");
const OPENAI_ANSWER = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
const OPENAI_STREAMED = recordedOpenAIStream("openai/chat/openai-text").text;
// A few tokens of the tiny model: enough to see an answer, quick on any CPU.
const SHORT = { num_predict: 12, temperature: 0, seed: 1 };

const servers = gatewayTestServers();
const { keep } = servers;
after(() => localEngine.dispose());

let hub: ServedFile;
before(async () => {
  // The delay keeps the download going long enough for progress lines to be seen.
  hub = await serveFile(STORIES, { etag: SHA256, delayMs: 300 });
  keep(hub);
});

async function gateway(
  env: Record<string, string> = {},
  config: Record<string, unknown> = {},
  home?: string,
) {
  return servers.gateway({ HF_ENDPOINT: `${hub.origin}/hub`, LLMUX_THREADS: "1", ...env }, config, { home });
}

async function server(start: typeof startOpenAIServer, script: Parameters<typeof startOpenAIServer>[0]) {
  return keep(await start(script));
}

/** The error a call rejects with, as the client shows it. */
async function failure(call: Promise<unknown>): Promise<{ message: string; status: unknown }> {
  const error = await call.then(
    () => assert.fail("expected the call to fail"),
    (e: unknown) => e as Error & { status_code?: unknown },
  );
  return { message: error.message, status: error.status_code };
}

describe("the embedded engine through Ollama's API", () => {
  let gw: TestGateway;
  let client: Ollama;
  before(async () => {
    gw = await gateway();
    client = new Ollama({ host: gw.gateway.url });
  });

  test("/ says Ollama is running to clients and serves the page to browsers; /api/version", async () => {
    const banner = await fetch(gw.gateway.url);
    assert.equal(banner.status, 200);
    assert.equal(banner.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await banner.text(), "Ollama is running");
    const head = await fetch(gw.gateway.url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "17");
    const page = await fetch(gw.gateway.url, { headers: { accept: "text/html,application/xhtml+xml" } });
    assert.notEqual(await page.text(), "Ollama is running");
    assert.deepEqual(await client.version(), { version: "0.12.0" });
  });

  test("pull streams Ollama's progress from the hub, then the model is listed and shown", async () => {
    const statuses: string[] = [];
    const downloads: { digest?: string; total?: number; completed?: number }[] = [];
    for await (const progress of await client.pull({ model: "llama3.2:1b", stream: true })) {
      statuses.push(progress.status);
      if (progress.status.startsWith("downloading")) downloads.push(progress);
    }
    assert.equal(statuses[0], "pulling manifest");
    assert.deepEqual(statuses.slice(-3), ["verifying sha256 digest", "writing manifest", "success"]);
    assert.ok(downloads.length > 0, "progress lines");
    const last = downloads.at(-1)!;
    assert.equal(last.total, STORIES.length);
    assert.equal(last.completed, STORIES.length);
    assert.match(String(last.digest), /\.gguf$/);

    const { models } = await client.list();
    const pulled = models.find((m) => m.name === "llama3.2:1b");
    assert.ok(pulled, JSON.stringify(models));
    assert.equal(pulled.model, "llama3.2:1b");
    assert.equal(pulled.size, STORIES.length);
    assert.equal(pulled.digest, `sha256:${SHA256}`);
    assert.equal(pulled.details.format, "gguf");
    assert.equal(pulled.details.family, "llama");

    const shown = await client.show({ model: "llama3.2:1b" });
    assert.equal(shown.details.family, "llama");
    const info = shown.model_info as unknown as Record<string, unknown>;
    assert.equal(info["general.architecture"], "llama");
    assert.equal(typeof info["llama.context_length"], "number");
    assert.ok(shown.capabilities.includes("completion"));

    // Names outside the catalog are never fetched.
    const refused = await failure(client.pull({ model: "hf:someone/x/y.gguf" }));
    assert.equal(refused.status, 404);
    assert.match(refused.message, /is not a local model of the catalog/);
  });

  test("chat and generate, streamed as NDJSON and whole, with Ollama's counts and durations", async () => {
    const messages = [{ role: "user", content: "Once upon a time" }];
    const lines = [];
    for await (const part of await client.chat({
      model: "llama3.2:1b",
      messages,
      stream: true,
      options: SHORT,
    }))
      lines.push(part);
    const final = lines.at(-1)!;
    assert.equal(final.done, true);
    assert.ok(lines.slice(0, -1).every((l) => l.done === false && l.message.role === "assistant"));
    const streamed = lines.map((l) => l.message.content).join("");
    assert.ok(streamed.length > 0);
    assert.equal(final.done_reason, "length");
    assert.equal(final.eval_count, 12);
    assert.ok(final.prompt_eval_count > 0);
    for (const field of [
      "total_duration",
      "load_duration",
      "prompt_eval_duration",
      "eval_duration",
    ] as const) {
      assert.ok(Number.isInteger(final[field]) && final[field] >= 0, field);
    }
    assert.ok(final.total_duration >= final.eval_duration);

    const whole = await client.chat({ model: "llama3.2:1b", messages, stream: false, options: SHORT });
    assert.equal(whole.message.content, streamed, "the same seed gives the same answer both ways");
    assert.equal(whole.model, "llama3.2:1b");
    // A schema the engine enforces with a grammar, whatever the tiny model would say.
    const schema = {
      type: "object",
      properties: { mood: { type: "string", enum: ["happy", "sad"] } },
      required: ["mood"],
    };
    const structured = await client.chat({
      model: "llama3.2:1b",
      messages,
      format: schema,
      options: { seed: 1 },
    });
    assert.ok(
      ["happy", "sad"].includes(JSON.parse(structured.message.content).mood),
      structured.message.content,
    );
    // `ollama run` loads the model first with an empty chat.
    const load = await client.chat({ model: "llama3.2:1b", messages: [] });
    assert.equal(load.done, true);
    assert.equal(load.done_reason, "load");

    const generated = await client.generate({
      model: "llama3.2:1b",
      prompt: "Once upon a time",
      options: SHORT,
    });
    assert.ok(generated.response !== undefined && generated.response.length > 0);
    assert.equal(generated.eval_count, 12);
    let text = "";
    for await (const part of await client.generate({
      model: "llama3.2:1b",
      prompt: "Once upon a time",
      stream: true,
      options: SHORT,
    }))
      text += part.response;
    assert.equal(text, generated.response);

    const raw = await failure(client.generate({ model: "llama3.2:1b", prompt: "x", raw: true }));
    assert.equal(raw.status, 400);
    assert.match(raw.message, /^raw is not supported for this model/);
  });

  test("the course's Python code with requests, and curl's form-urlencoded body", async () => {
    const code = [
      "import requests, sys",
      "base = sys.argv[1]",
      'response = requests.post(f"{base}/api/chat", json={"model": "llama3.2:1b", "messages": [{"role": "user", "content": "Tell me a story"}], "stream": False, "options": {"num_predict": 8}})',
      'print(response.json()["message"]["content"])',
    ].join("\n");
    const { stdout } = await promisify(execFile)("python3", ["-c", code, gw.gateway.url]);
    assert.ok(stdout.trim().length > 0, "printed the answer");

    // `curl http://localhost:11434/api/generate -d '{...}'`, as Ollama's docs show it.
    const curl = await fetch(`${gw.gateway.url}/api/generate`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({
        model: "llama3.2:1b",
        prompt: "Hi",
        stream: false,
        options: { num_predict: 4 },
      }),
    });
    assert.equal(curl.status, 200);
    assert.equal(((await curl.json()) as { done: boolean }).done, true);
  });

  test("ps lists the loaded model; delete removes it from the store; errors are messages", async () => {
    const { models } = await client.ps();
    assert.deepEqual(
      models.map((m) => m.name),
      ["llama3.2:1b"],
    );
    const unknown = await failure(
      client.chat({ model: "nope:7b", messages: [{ role: "user", content: "x" }] }),
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.message, "model 'nope:7b' not found");
    assert.equal((await failure(client.show({ model: "nope:7b" }))).message, "model 'nope:7b' not found");
    const create = await failure(client.copy({ source: "llama3.2:1b", destination: "mine" }));
    assert.equal(create.status, 404);
    assert.equal(create.message, "POST /api/copy is not served by llmux's Ollama API");

    await client.delete({ model: "llama3.2:1b" });
    assert.equal(
      (await client.list()).models.find((m) => m.name === "llama3.2:1b"),
      undefined,
    );
    const again = await failure(client.delete({ model: "llama3.2:1b" }));
    assert.equal(again.status, 404);
    assert.match(again.message, /^No local model named llama3\.2:1b/);
    const missing = await failure(client.show({ model: "llama3.2:1b" }));
    assert.equal(missing.status, 404);
    assert.match(missing.message, /^The local model llama3\.2:1b is not downloaded/);
  });

  test('/metrics counts Ollama\'s routes under dialect="ollama"', async () => {
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_requests_total\{route="ollama_chat",dialect="ollama",model="local:llama3\.2:1b",provider="local",status="200"\} [1-9]/,
    );
    assert.match(metrics, /route="ollama_generate",dialect="ollama",model="local:llama3\.2:1b"/);
  });
});

describe("an OpenAI upstream, by translation", () => {
  test("chat streamed and whole gives the recorded answer; the upstream got a chat completion", async () => {
    const openai = await server(startOpenAIServer, [{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(openaiEnv(openai));
    const client = new Ollama({ host: gw.url });
    const messages = [
      { role: "system", content: "Be brief" },
      { role: "user", content: "Invent a holiday" },
    ];
    let text = "";
    let last:
      | { done: boolean; done_reason?: string; prompt_eval_count?: number; eval_count?: number }
      | undefined;
    for await (const part of await client.chat({ model: "openai:gpt-4.1-nano", messages, stream: true })) {
      text += part.message.content;
      last = part;
    }
    assert.equal(text, OPENAI_STREAMED);
    assert.equal(last?.done, true);
    assert.equal(last?.done_reason, "stop");
    assert.ok((last?.prompt_eval_count ?? 0) > 0 && (last?.eval_count ?? 0) > 0);
    const whole = await client.chat({
      model: "openai:gpt-4.1-nano",
      messages,
      options: { temperature: 0.2, num_ctx: 8192 },
    });
    assert.equal(whole.message.content, OPENAI_ANSWER);
    const sent = openai.requests.at(-1)!;
    assert.equal(sent.pathname, "/v1/chat/completions");
    assert.equal(sent.json?.temperature, 0.2);
    assert.deepEqual(sent.json?.messages, [
      { role: "system", content: "Be brief" },
      { role: "user", content: "Invent a holiday" },
    ]);
    // Options with no counterpart upstream are accepted and named in a header.
    const raw = await fetch(`${gw.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({
        model: "openai:gpt-4.1-nano",
        messages,
        stream: false,
        options: { num_ctx: 4096, mirostat: 1, made_up: 2 },
      }),
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("x-llmux-ignored"), "options.num_ctx, options.mirostat, options.made_up");
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_ignored_fields_total\{dialect="ollama",field="options\.mirostat"\} 1/,
    );
    assert.match(
      metrics,
      /llmux_gateway_ignored_fields_total\{dialect="ollama",field="options\.num_ctx"\} 2/,
    );
    // Names Ollama does not know are counted together, so clients cannot grow /metrics.
    assert.match(metrics, /llmux_gateway_ignored_fields_total\{dialect="ollama",field="other"\} 1/);
  });

  test("format as a JSON schema becomes json_schema; tools come back with object arguments", async () => {
    const toolAnswer = {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1,
      model: "gpt-4.1-nano",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "weather", arguments: '{"city":"Tokyo"}' },
              },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
    };
    const jsonAnswer = structuredClone(toolAnswer);
    jsonAnswer.choices[0]!.message = { role: "assistant", content: '{"name":"Paris"}' } as never;
    jsonAnswer.choices[0]!.finish_reason = "stop";
    const openai = await server(startOpenAIServer, [
      { json: jsonAnswer },
      { json: toolAnswer },
      { json: jsonAnswer },
    ]);
    const { gateway: gw } = await gateway(openaiEnv(openai));
    const client = new Ollama({ host: gw.url });

    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const city = await client.chat({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "A city" }],
      format: schema,
    });
    assert.deepEqual(JSON.parse(city.message.content), { name: "Paris" });
    const format = openai.requests[0]!.json?.response_format as {
      type: string;
      json_schema: { schema: unknown };
    };
    assert.equal(format.type, "json_schema");
    assert.deepEqual(format.json_schema.schema, schema);

    const tools = [
      {
        type: "function",
        function: {
          name: "weather",
          description: "The weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ];
    const call = await client.chat({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "Weather in Tokyo?" }],
      tools,
    });
    assert.deepEqual(
      call.message.tool_calls?.map((c) => c.function),
      [{ index: 0, name: "weather", arguments: { city: "Tokyo" } }],
    );
    assert.equal(call.done_reason, "stop");

    // The result goes back as Ollama's tool message, by the tool's name.
    await client.chat({
      model: "openai:gpt-4.1-nano",
      messages: [
        { role: "user", content: "Weather in Tokyo?" },
        { role: "assistant", content: "", tool_calls: call.message.tool_calls },
        { role: "tool", content: "Sunny", tool_name: "weather" } as never,
      ],
      tools,
    });
    const sent = openai.requests[2]!.json?.messages as Record<string, unknown>[];
    assert.equal(sent[1]!.role, "assistant");
    assert.deepEqual(sent[2], { role: "tool", tool_call_id: "call_1", content: "Sunny" });
  });

  test("images on a message reach the upstream as image parts", async () => {
    const openai = await server(startOpenAIServer, [{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(openaiEnv(openai));
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const answer = await new Ollama({ host: gw.url }).chat({
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "What is this?", images: [png] }],
    });
    assert.equal(answer.message.content, OPENAI_ANSWER);
    assert.deepEqual(openai.requests[0]!.json?.messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
        ],
      },
    ]);
  });

  test("embed through OpenAI's embeddings; the embedded engine has none (a 400 message)", async () => {
    const fixture = "openai/embedding/openai-embedding";
    const openai = await server(startOpenAIServer, [{ fixture }]);
    const { gateway: gw } = await gateway(openaiEnv(openai));
    const client = new Ollama({ host: gw.url });
    const { embeddings, prompt_eval_count } = await client.embed({
      model: "openai:text-embedding-3-small",
      input: ["sunny day at the beach", "rainy day in the city"],
    });
    const recorded = (readFixture(fixture).json as { data: { embedding: number[] }[] }).data;
    assert.deepEqual(
      embeddings,
      recorded.map((d) => d.embedding),
    );
    assert.equal(prompt_eval_count, 12);
    assert.deepEqual(openai.requests[0]!.json?.input, ["sunny day at the beach", "rainy day in the city"]);
    const none = await failure(client.embed({ model: "local:llama3.2:1b", input: "x" }));
    assert.equal(none.status, 400);
    assert.match(none.message, /offers no embeddings/);
  });

  test("a stream that fails mid-way ends with Ollama's error line, which the client throws", async () => {
    const openai = await server(startOpenAIServer, [
      { fixture: "openai/chat/openai-text", stallAfterEvents: 5 },
    ]);
    const { gateway: gw } = await gateway(openaiEnv(openai), { gateway: { timeoutMs: 500, maxRetries: 0 } });
    const client = new Ollama({ host: gw.url });
    let text = "";
    const error = await (async () => {
      for await (const part of await client.chat({
        model: "openai:gpt-4.1-nano",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      }))
        text += part.message.content;
    })().then(
      () => assert.fail("expected the stream to fail"),
      (e: Error) => e,
    );
    assert.ok(text.length > 0, "lines arrived before the failure");
    assert.match(error.message, /500 ms/);
    assert.doesNotMatch(error.message, /object Object/);
  });
});

describe("an Anthropic upstream, by translation", () => {
  test("think turns thinking on; it streams as message.thinking, beside the text; think: false hides it", async () => {
    const fixture = "anthropic/anthropic-clear-thinking.1";
    const anthropic = await server(startAnthropicServer, [{ fixture }]);
    const { gateway: gw } = await gateway({
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: `${anthropic.url}/v1`,
    });
    const client = new Ollama({ host: gw.url });
    const events = readFixture(fixture).events as { delta?: { thinking?: string; text?: string } }[];
    const messages = [{ role: "user", content: "Divide it by 5" }];
    for (const think of [true, false]) {
      let thinking = "";
      let content = "";
      for await (const part of await client.chat({
        model: "claude-sonnet-4-5",
        messages,
        think,
        stream: true,
      })) {
        thinking += part.message.thinking ?? "";
        content += part.message.content;
      }
      assert.equal(content, events.map((e) => e.delta?.text ?? "").join(""));
      assert.equal(thinking, think ? events.map((e) => e.delta?.thinking ?? "").join("") : "");
    }
    // `think` turns Anthropic's extended thinking on, with a budget by level.
    assert.deepEqual(anthropic.requests[0]!.json?.thinking, { type: "enabled", budget_tokens: 4096 });
    assert.equal(anthropic.requests[1]!.json?.thinking, undefined);
  });
});

describe("an Ollama upstream, passed through", () => {
  test("chat and generate go to its native API with the model renamed, and come back byte for byte", async () => {
    const ollama = await server(startOllamaServer, [
      ollamaResponses.chat("Hello from Ollama", { model: "llama3.2:3b", promptEvalCount: 7, evalCount: 4 }),
      ollamaResponses.generate("Generated text", { model: "llama3.2:3b" }),
    ]);
    const { gateway: gw } = await gateway({ OLLAMA_HOST: ollama.url });
    const body = {
      model: "ollama:llama3.2:3b",
      messages: [{ role: "user", content: "Hi" }],
      options: { num_ctx: 4096, repeat_penalty: 1.2 },
      keep_alive: "10m",
    };
    const response = await fetch(`${gw.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.headers.get("content-type"), "application/x-ndjson");
    const text = await response.text();
    const expected = `${ollamaResponses
      .chat("Hello from Ollama", { model: "llama3.2:3b", promptEvalCount: 7, evalCount: 4 })
      .chunks!.map((c) => JSON.stringify(c))
      .join("\n")}\n`;
    assert.equal(text, expected);
    assert.equal(ollama.requests[0]!.pathname, "/api/chat");
    assert.deepEqual(ollama.requests[0]!.json, { ...body, model: "llama3.2:3b" });

    const client = new Ollama({ host: gw.url });
    const generated = await client.generate({ model: "ollama:llama3.2:3b", prompt: "Hi", raw: true });
    assert.equal(generated.response, "Generated text");
    assert.equal(ollama.requests[1]!.pathname, "/api/generate");
    assert.equal(ollama.requests[1]!.json?.raw, true);

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_tokens_total\{route="ollama_chat",dialect="ollama",model="ollama:llama3\.2:3b",provider="ollama",type="input"\} 7/,
    );
  });

  test("show asks the Ollama upstream itself; its 404 is Ollama's", async () => {
    const shown = {
      parameters: "stop <|eot_id|>",
      template: "{{ .Prompt }}",
      details: { format: "gguf", family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
      model_info: { "general.architecture": "llama", "llama.context_length": 131072 },
      capabilities: ["completion", "tools", "vision"],
    };
    const ollama = await server(startOllamaServer, [
      { json: shown },
      { status: 404, message: "model not found" },
    ]);
    const { gateway: gw } = await gateway({ OLLAMA_HOST: ollama.url });
    const client = new Ollama({ host: gw.url });
    assert.deepEqual(await client.show({ model: "ollama:llama3.2:3b" }), shown);
    assert.deepEqual(ollama.requests[0]!.json, { model: "llama3.2:3b", verbose: false });
    const missing = await failure(client.show({ model: "ollama:nope" }));
    assert.equal(missing.status, 404);
    assert.equal(missing.message, "model 'ollama:nope' not found");
  });

  test("embed and the older embeddings", async () => {
    const ollama = await server(startOllamaServer, [
      ollamaResponses.embed([
        [0.1, 0.2],
        [0.3, 0.4],
      ]),
      ollamaResponses.embed([[0.5, 0.6]]),
    ]);
    const { gateway: gw } = await gateway({ OLLAMA_HOST: ollama.url });
    const client = new Ollama({ host: gw.url });
    const { embeddings } = await client.embed({ model: "ollama:all-minilm", input: ["a", "b"] });
    assert.deepEqual(embeddings, [
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    assert.deepEqual(ollama.requests[0]!.json?.input, ["a", "b"]);
    const { embedding } = await client.embeddings({ model: "ollama:all-minilm", prompt: "c" });
    assert.deepEqual(embedding, [0.5, 0.6]);
  });
});

describe("keys and the Ollama-only port", () => {
  test("with keys: a missing key is a 401, a model outside the allowlist a 403, too many requests and a spent budget 429s, as messages", async () => {
    const openai = await server(startOpenAIServer, [{ fixture: "openai/chat/openai-text" }]);
    const {
      home,
      created: [{ token }, { token: poor }],
    } = homeWithKeys("llmux-ollama-keys-", [
      { name: "editor", models: ["openai:gpt-4.1-nano"], rpm: 1 },
      { name: "poor", budgetUsd: 0.000001 },
    ]);
    const { gateway: gw } = await gateway(openaiEnv(openai), {}, home);
    const refused = await failure(new Ollama({ host: gw.url }).list());
    assert.equal(refused.status, 401);
    assert.doesNotMatch(refused.message, /object Object/);
    const client = new Ollama({ host: gw.url, headers: { authorization: `Bearer ${token}` } });
    const messages = [{ role: "user", content: "x" }];
    const answer = await client.chat({ model: "openai:gpt-4.1-nano", messages });
    assert.equal(answer.message.content, OPENAI_ANSWER);
    const outside = await failure(client.chat({ model: "openai:gpt-4.1-mini", messages }));
    assert.equal(outside.status, 403);
    assert.match(outside.message, /gpt-4\.1-mini/);
    const limited = await failure(client.chat({ model: "openai:gpt-4.1-nano", messages }));
    assert.equal(limited.status, 429);
    assert.match(limited.message, /^[A-Z]/);
    // A budget too small for the request's worst case refuses it before any model is called.
    const broke = await failure(
      new Ollama({ host: gw.url, headers: { authorization: `Bearer ${poor}` } }).chat({
        model: "openai:gpt-4.1-nano",
        messages,
      }),
    );
    assert.equal(broke.status, 429);
    assert.match(broke.message, /budget/i);
    assert.equal(openai.requests.length, 1);
  });

  test("--ollama-port serves Ollama's API alone, closed with the gateway; a busy port is address_in_use", async () => {
    const openai = await server(startOpenAIServer, [{ fixture: "openai/chat/openai-text" }]);
    const home = makeTempDir("llmux-ollama-port-");
    const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...openaiEnv(openai) } });
    const gw = await startGateway(config, { port: 0, ollamaPort: 0 });
    assert.ok(gw.ollamaUrl && gw.ollamaUrl !== gw.url);
    const client = new Ollama({ host: gw.ollamaUrl });
    assert.equal(
      (await client.chat({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] })).message
        .content,
      OPENAI_ANSWER,
    );
    assert.equal(
      await (await fetch(gw.ollamaUrl, { headers: { accept: "text/html" } })).text(),
      "Ollama is running",
    );
    const unknown = await fetch(`${gw.ollamaUrl}/v1/models`);
    assert.equal(unknown.status, 404);
    assert.match(
      ((await unknown.json()) as { error: string }).error,
      /^Unknown request URL: GET \/v1\/models/,
    );
    assert.ok((await client.list()).models.some((m) => m.name === "openai:gpt-4.1-nano"));
    // Refusals before any route (a web page's Origin, here) are in Ollama's shape on both ports, so
    // Ollama's clients show the message rather than "[object Object]".
    for (const base of [gw.url, gw.ollamaUrl]) {
      const refused = await fetch(`${base}/api/chat`, {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4.1-nano", messages: [] }),
      });
      assert.equal(refused.status, 403);
      const body = (await refused.json()) as { error: unknown };
      assert.equal(typeof body.error, "string", base);
      assert.match(body.error as string, /^Origin "https:\/\/evil\.example" is not allowed/);
    }

    // A port taken by another process.
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    const busyPort = (taken.address() as AddressInfo).port;
    const error = await startGateway(config, { port: 0, ollamaPort: busyPort }).catch((e: unknown) => e);
    taken.close();
    assert.ok(isLlmuxError(error) && error.kind === "address_in_use", String(error));
    assert.match(error.hint ?? "", /--ollama-port N/);

    await gw.close();
    await assert.rejects(fetch(gw.ollamaUrl));
  });

  test("an ollama: model whose host is the gateway's own Ollama port is refused, not sent round in a circle", async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const { port } = probe.address() as AddressInfo;
    await new Promise((done) => probe.close(done));
    const home = makeTempDir("llmux-ollama-loop-");
    const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, OLLAMA_HOST: `127.0.0.1:${port}` } });
    const gw = await startGateway(config, { port: 0, ollamaPort: port });
    keep(gw);
    const error = await failure(
      new Ollama({ host: gw.url }).chat({
        model: "ollama:llama3.2",
        messages: [{ role: "user", content: "x" }],
      }),
    );
    assert.match(error.message, /llmux forwarded this request to itself/);
  });

  test("`llmux serve --ollama-port` on a busy port exits 15 with one line naming the option", async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    const { port } = taken.address() as AddressInfo;
    try {
      const run = await runCli(["serve", "--port", "0", "--ollama-port", String(port)], {
        timeoutMs: 20_000,
      });
      assert.equal(run.code, 15);
      assert.equal(run.stdout, "");
      assert.equal(
        run.stderr.trimEnd(),
        `llmux: Port ${port} on 127.0.0.1 is already in use. Stop the process that listens there, or pick another port with --ollama-port N (--ollama-port 0 picks a free one)`,
      );
    } finally {
      taken.close();
    }
  });
});
