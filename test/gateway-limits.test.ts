// The gateway's limits and its answers to malformed input, through real HTTP on loopback: the
// connection cap, a local model's full queue (the real embedded engine and a tiny model), and
// 400s naming the problem for every route, never a 500.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { resolve } from "node:path";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Gateway } from "../src/gateway/start-gateway.ts";
import { type LocalSequenceLease, localEngine } from "../src/local/local-engine.ts";
import { OPENAI_KEY, postRaw, startTestGateway, type TestGateway } from "./gateway-support.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
  await localEngine.dispose();
});

async function gateway(config: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const started = await startTestGateway(env, config);
  cleanup.push(() => started.gateway.close());
  return started;
}

/** Writes `text` on a new connection and resolves with the first response's head and body. */
function rawExchange(gw: Gateway, text: string): Promise<{ socket: Socket; response: string }> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let response = "";
    socket.on("data", (chunk: Buffer) => {
      response += chunk.toString("utf8");
      const head = response.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(response)?.[1];
      if (head >= 0 && length !== undefined && response.length >= head + 4 + Number(length)) {
        resolvePromise({ socket, response });
      }
    });
    socket.on("end", () => resolvePromise({ socket, response }));
    socket.on("error", reject);
  });
}

function errorOf(text: string): { message: string; type: string; param: unknown; code: string } {
  assert.equal(text.includes("\n"), false, text);
  const body = JSON.parse(text) as { error: { message: string; type: string; param: unknown; code: string } };
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  return body.error;
}

describe("connection cap", () => {
  test("a request on a connection beyond gateway.maxConnections is a 503 busy with Retry-After", async () => {
    const { gateway: gw } = await gateway({ gateway: { maxConnections: 2 } });
    const keepAlive = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    const first = await rawExchange(gw, keepAlive);
    const second = await rawExchange(gw, keepAlive);
    assert.match(first.response, /^HTTP\/1\.1 200/);
    assert.match(second.response, /^HTTP\/1\.1 200/);

    const refused = await fetch(`${gw.url}/v1/models`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal(refused.headers.get("connection"), "close");
    const error = errorOf(await refused.text());
    assert.equal(error.code, "busy");
    assert.equal(error.type, "server_error");
    assert.match(
      error.message,
      /^The gateway is serving its most connections \(2\) already\. Try again in 1 second/,
    );

    // The connections inside the cap are still served.
    first.socket.write(keepAlive);
    await new Promise((resolveData) => first.socket.once("data", resolveData));

    // A flood of sockets that may never send a request: beyond twice the cap, closed at once.
    const { hostname, port } = new URL(gw.url);
    const idle = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolveSocket) => {
            const socket: Socket = connect(Number(port), hostname, () => resolveSocket(socket));
          }),
      ),
    );
    await sleep(50);
    const flood = connect(Number(port), hostname);
    const closed = await Promise.race([
      new Promise((resolveClose) => flood.once("close", () => resolveClose(true))),
      sleep(2000, false),
    ]);
    assert.equal(closed, true, "a socket beyond twice the cap is closed");
    for (const socket of idle) socket.destroy();

    second.socket.destroy();
    await sleep(50);
    const served = await fetch(`${gw.url}/v1/models`);
    assert.equal(served.status, 200);
    first.socket.destroy();
  });
});

describe("local model queue", () => {
  test("a request beyond local.maxQueue fails at once as a 503 busy with Retry-After, and the queue still runs", async () => {
    const { gateway: gw } = await gateway({
      aliases: { tiny: `local:${MODEL}` },
      local: { maxQueue: 1, threads: 1 },
    });
    // Both context sequences of the model (the engine's default parallel 2) busy with other work.
    const held: LocalSequenceLease[] = [
      await localEngine.acquireSequence(MODEL),
      await localEngine.acquireSequence(MODEL),
    ];
    const request = async () => {
      // Bounded, so that a request left waiting fails the test instead of hanging it.
      const response = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "tiny",
          messages: [{ role: "user", content: "Once upon a time" }],
          max_tokens: 8,
        }),
        signal: AbortSignal.timeout(20_000),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    const queued = request();
    const waiting = () => localEngine.stats().models.find((m) => m.path === MODEL)?.waiting ?? 0;
    for (let i = 0; i < 500 && waiting() < 1; i++) await sleep(10);
    assert.equal(waiting(), 1);

    const started = performance.now();
    const refused = await request();
    assert.ok(performance.now() - started < 2000, "refused at once, not after waiting");
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.headers.get("retry-after"), "5");
    const error = errorOf(refused.text);
    assert.equal(error.code, "busy");
    assert.match(
      error.message,
      /^stories260K\.gguf is busy: 2 requests running and 1 waiting, as many as its queue holds\. Try again/,
    );

    for (const lease of held) lease.release();
    const answered = await queued;
    assert.equal(answered.status, 200, answered.text);
  });
});

describe("malformed input is a 400 naming the problem, on every route", () => {
  let server: ProviderServer;
  let gw: Gateway;
  let conversation: string;

  test("setup", async () => {
    server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
    cleanup.push(() => server.close());
    const started: TestGateway = await gateway(
      {},
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1` },
    );
    gw = started.gateway;
    const created = await postRaw(gw, "/app/api/conversations", { title: "t" });
    assert.equal(created.status, 201, created.text);
    conversation = (JSON.parse(created.text) as { id: string }).id;
  });

  test("a malformed percent-encoding in the URL", async () => {
    const paths = [
      "/v1/models/%E0%A4%A",
      "/v1/models/%zz",
      "/v1/chat/completions%",
      "/app/api/conversations/%zz",
      "/app/api/models%C0%AF",
      "/assets/%E0%A4%A.js",
      "/%",
    ];
    for (const path of paths) {
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        const response = await fetch(`${gw.url}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "GET" ? undefined : "{}",
        });
        const text = await response.text();
        assert.equal(response.status, 400, `${method} ${path}: ${text}`);
        const error = errorOf(text);
        assert.equal(error.code, "invalid_url");
        assert.match(error.message, /has a malformed percent-encoding/);
        assert.ok(error.message.includes(JSON.stringify(path)), error.message);
      }
    }
  });

  test("a request target that is not a path", async () => {
    for (const target of ["*", "http://127.0.0.1/v1/models", "//v1/models"]) {
      const { socket, response } = await rawExchange(gw, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      socket.destroy();
      assert.match(response, /^HTTP\/1\.1 400/, target);
      const error = errorOf(response.slice(response.indexOf("\r\n\r\n") + 4));
      assert.equal(error.code, "invalid_url");
      assert.match(error.message, /^The request URL must be a path starting with one \//);
    }
  });

  test("a request node cannot parse: a 400, 431 for headers too large, in the same error shape", async () => {
    const cases: Array<[string, number, string, RegExp]> = [
      [
        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nNot a header\r\n\r\n",
        400,
        "malformed_request",
        /^The request is not valid HTTP \(HPE_/,
      ],
      [
        "POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
        400,
        "malformed_request",
        /^The request is not valid HTTP \(HPE_/,
      ],
      [
        `GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
        431,
        "headers_too_large",
        /^The request's headers are larger than the gateway reads$/,
      ],
    ];
    for (const [text, status, code, message] of cases) {
      const { socket, response } = await rawExchange(gw, text);
      socket.destroy();
      assert.match(response, new RegExp(`^HTTP/1\\.1 ${status} `), response);
      const error = errorOf(response.slice(response.indexOf("\r\n\r\n") + 4));
      assert.equal(error.code, code);
      assert.match(error.message, message);
    }
  });

  const deepArray = "[".repeat(100_000) + "]".repeat(100_000);
  const bodies: Array<[string, RegExp]> = [
    ["{", /^The request body is not valid JSON \(/],
    ['{"model": "x",}', /^The request body is not valid JSON \(/],
    ["", /^The request body is not valid JSON \(/],
    ["[1, 2]", /^The request body must be a JSON object, not an array$/],
    ['"text"', /^The request body must be a JSON object, not a string$/],
    ["null", /^The request body must be a JSON object, not null$/],
    ["[".repeat(100_000), /nests arrays and objects more than 128 levels deep/],
    [
      `{"model": "openai:gpt-4.1-nano", "messages": ${deepArray}, "input": ${deepArray}, "url": ${deepArray}, "title": ${deepArray}}`,
      /nests arrays and objects more than 128 levels deep/,
    ],
    [
      `{"a": ${'{"a": '.repeat(100_000)}1${"}".repeat(100_000)}}`,
      /nests arrays and objects more than 128 levels deep/,
    ],
  ];

  test("bodies that are not JSON, not an object, or nested too deep", async () => {
    const routes = [
      ["POST", "/v1/chat/completions"],
      ["POST", "/v1/embeddings"],
      ["POST", "/app/api/summarize"],
      ["POST", "/app/api/pull"],
      ["POST", "/app/api/conversations"],
      ["PATCH", `/app/api/conversations/${conversation}`],
    ] as const;
    for (const [method, path] of routes) {
      for (const [body, problem] of bodies) {
        const response = await fetch(`${gw.url}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body,
        });
        const text = await response.text();
        assert.equal(response.status, 400, `${method} ${path} ${body.slice(0, 20)}: ${text.slice(0, 300)}`);
        const error = errorOf(text);
        assert.equal(error.code, "invalid_json");
        assert.match(error.message, problem);
      }
    }
    assert.equal(server.requests.length, 0);
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
  });

  test("nesting within the limit is read", async () => {
    const nested = `${"[".repeat(120)}"deep"${"]".repeat(120)}`;
    const response = await postRaw(gw, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "Hi" }],
      metadata: JSON.parse(`{"x": ${nested}}`),
    });
    assert.equal(response.status, 200, response.text);
  });
});

describe("tokens per minute", () => {
  test("a key made with `llmux keys create --tpm` gets 429 with Retry-After once its last minute used tpm tokens", async () => {
    const upstream = await startOpenAIServer([
      { fixture: "openai/chat/openai-text" },
      { fixture: "openai/chat/openai-text" },
    ]);
    cleanup.push(() => upstream.close());
    const home = makeHome();
    const created = await runCli(["keys", "create", "--tpm", "10", "--json"], { home });
    assert.equal(created.code, 0, created.stderr);
    const [key] = parseJsonLines<{ id: string; token: string; tpm: number }>(created.stdout);
    assert.equal(key!.tpm, 10);
    const listed = parseJsonLines((await runCli(["keys", "list", "--json"], { home })).stdout);
    assert.deepEqual(
      listed.map((k) => [k.id, k.tpm, k.rpm]),
      [[key!.id, 10, null]],
    );
    const table = await runCli(["keys", "list"], { home });
    assert.match(table.stdout, /\bTPM\b/);

    const started = await startTestGateway(
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${upstream.url}/v1` },
      {},
      { home },
    );
    cleanup.push(() => started.gateway.close());
    const ask = () =>
      postRaw(
        started.gateway,
        "/v1/chat/completions",
        { model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] },
        { authorization: `Bearer ${key!.token}` },
      );
    const first = await ask();
    assert.equal(first.status, 200, first.text);
    assert.ok((JSON.parse(first.text) as { usage: { total_tokens: number } }).usage.total_tokens >= 10);
    // Its tokens are counted once it has ended, off the response's path.
    await sleep(100);
    const refused = await ask();
    assert.equal(refused.status, 429, refused.text);
    const error = errorOf(refused.text);
    assert.equal(error.message, `Rate limit reached for key ${key!.id}: 10 tokens per minute`);
    assert.equal(error.code, "rate_limit_exceeded");
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter >= 55 && retryAfter <= 60, String(retryAfter));
    assert.equal(upstream.requests.length, 1, "the refused request reached no model");
  });
});

describe("what the fuzzer found (bench/fuzz-gateway.bench.ts)", () => {
  test("model names that are Object.prototype's members are unknown models, not 500s", async () => {
    const { gateway: gw } = await gateway({}, { OPENAI_API_KEY: OPENAI_KEY });
    for (const model of ["__proto__", "valueOf", "constructor", "toString", "hasOwnProperty"]) {
      const chat = await postRaw(gw, "/v1/chat/completions", {
        model,
        messages: [{ role: "user", content: "hi" }],
      });
      assert.equal(chat.status, 404, `${model}: ${chat.text}`);
      assert.equal(errorOf(chat.text).code, "model_not_found");
      const embeddings = await postRaw(gw, "/v1/embeddings", { model, input: ["a"] });
      assert.equal(embeddings.status, 404, `${model}: ${embeddings.text}`);
      const summary = await postRaw(gw, "/app/api/summarize", { url: "http://127.0.0.1:9/", model });
      assert.equal(summary.status, 404, `${model}: ${summary.text}`);
    }
  });

  test("a query string does not change the route, and its bytes are never decoded as the path", async () => {
    const upstream = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
    cleanup.push(() => upstream.close());
    const { gateway: gw } = await gateway(
      {},
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${upstream.url}/v1` },
    );
    const chat = await postRaw(gw, "/v1/chat/completions?api-version=1", {
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(chat.status, 200, chat.text);
    assert.equal((await fetch(`${gw.url}/v1/models?limit=5`)).status, 200);
    const odd = await fetch(`${gw.url}/v1/models/?&@];%3`);
    assert.equal(odd.status, 404);
    assert.equal(errorOf(await odd.text()).code, "model_not_found");
  });
});
