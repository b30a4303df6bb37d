import assert from "node:assert/strict";
import { test } from "node:test";
import { startOpenAIServer } from "./start-openai-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

// The core is driven through the OpenAI protocol, over plain fetch, to see the exact wire bytes.

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startOpenAIServer(script);
  t.after(() => server.close());
  return server;
}

function post(url: string, body: unknown, signal?: AbortSignal) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test": "yes" },
    body: JSON.stringify(body),
    signal,
  });
}

test("inline chunks are framed on the wire exactly as the protocol says", async (t) => {
  const server = await serve([{ chunks: [{ a: 1 }, '{"b":2}'] }], t);
  const response = await post(server.url, { stream: true });
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(await response.text(), 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n');
});

test("requests are recorded; the script advances per request and repeats its last entry", async (t) => {
  const server = await serve([{ json: { n: 1 } }, { json: { n: 2 } }], t);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await (await post(server.url, { i })).json());
  assert.deepEqual(answers, [{ n: 1 }, { n: 2 }, { n: 2 }]);
  assert.equal(server.requests.length, 3);
  const [first] = server.requests;
  assert.equal(first?.method, "POST");
  assert.equal(first?.path, "/v1/chat/completions");
  assert.equal(first?.headers["x-test"], "yes");
  assert.equal(first?.body, '{"i":0}');
  assert.deepEqual(first?.json, { i: 0 });
});

test("a route the provider does not serve gets a provider-shaped 404 and leaves the script alone", async (t) => {
  const server = await serve([{ json: { n: 1 } }], t);
  const miss = await fetch(`${server.url}/v1/unknown?x=1`, { method: "POST", body: "not json" });
  assert.equal(miss.status, 404);
  const body = (await miss.json()) as { error: { message: string } };
  assert.match(body.error.message, /no route for POST \/v1\/unknown\?x=1/);
  assert.equal(server.requests[0]?.json, undefined);
  assert.deepEqual(await (await post(server.url, {})).json(), { n: 1 });
});

test("stallAfterEvents sends that many events, then holds on until the client aborts", async (t) => {
  const server = await serve([{ fixture: "openai/chat/openai-text", stallAfterEvents: 2 }], t);
  const abort = new AbortController();
  const response = await post(server.url, { stream: true }, abort.signal);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = "";
  while (received.split("\n\n").length <= 2) received += (await reader.read()).value;
  assert.equal(received.split("\n\n").filter(Boolean).length, 2);
  assert.equal(server.closedByClient, 0);
  abort.abort();
  await server.whenClosedByClient();
  assert.equal(server.closedByClient, 1);
});

test("stallAfterEvents on a non-streaming request sends nothing until the client gives up", async (t) => {
  const server = await serve([{ fixture: "openai/chat/openai-text", stallAfterEvents: 0 }], t);
  await assert.rejects(post(server.url, {}, AbortSignal.timeout(100)), { name: "TimeoutError" });
  await server.whenClosedByClient();
  assert.equal(server.closedByClient, 1);
});

test("close() ends stalled responses without counting them as client aborts", async () => {
  const server = await startOpenAIServer([{ chunks: [{ a: 1 }], stallAfterEvents: 1 }]);
  const response = await post(server.url, { stream: true });
  const reader = response.body!.getReader();
  await reader.read();
  await server.close();
  await assert.rejects(reader.read());
  assert.equal(server.closedByClient, 0);
});

test("chunkDelayMs spaces the events out", async (t) => {
  const server = await serve([{ chunks: [{ a: 1 }, { a: 2 }, { a: 3 }], chunkDelayMs: 40 }], t);
  const started = performance.now();
  await (await post(server.url, { stream: true })).text();
  assert.ok(performance.now() - started >= 75);
});

test("a fixture without the variant the request needs answers 500 saying so", async (t) => {
  const server = await serve([{ fixture: "openai/embedding/openai-embedding" }], t);
  const response = await post(server.url, { stream: true });
  assert.equal(response.status, 500);
  assert.match(await response.text(), /openai\/embedding\/openai-embedding has no stream events/);
});

test("starting with an unknown fixture or an empty script fails at once", async () => {
  await assert.rejects(
    startOpenAIServer([{ fixture: "openai/chat/missing" }]),
    /no fixture openai\/chat\/missing/,
  );
  await assert.rejects(startOpenAIServer([]), /at least one scripted response/);
});
