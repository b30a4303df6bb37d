// The gateway's exact-match response cache, through real clients (openai, @anthropic-ai/sdk,
// ollama) and raw HTTP against loopback upstreams that count the calls they get: identical
// requests are answered once, streamed hits replay the same bytes, keys do not see each other's
// answers, hits are logged at cost 0, and two gateways on one Redis share what they keep.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import Anthropic from "@anthropic-ai/sdk";
import { createClient } from "@redis/client";
import { Ollama } from "ollama";
import type { Gateway } from "../src/gateway/start-gateway.ts";
import {
  anthropicEnv,
  gatewayTestServers,
  homeWithKeys,
  openaiEnv,
  postRaw,
  usageRows,
} from "./gateway-support.ts";
import { ollamaResponses, readFixture, startOllamaServer } from "./servers/index.ts";
import { makeHome, parseJsonLines, runCli } from "./support/run-cli.ts";
import { startRedis } from "./support/start-redis.ts";

const servers = gatewayTestServers();
const CHAT = "/v1/chat/completions";
const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "openai:gpt-4.1-mini",
  temperature: 0,
  max_tokens: 50,
  messages: [{ role: "user" as const, content }],
  ...extra,
});
const ANSWER_TEXT = readFixture("openai/chat/openai-text").jsonText!;
// What one cached whole answer of that fixture costs the memory cache (its body and 512 bytes).
const ENTRY_BYTES = Buffer.byteLength(ANSWER_TEXT) + 512;

async function cachedGateway(cache: Record<string, unknown> = { enabled: true }) {
  const upstream = await servers.openai([{ fixture: "openai/chat/openai-text" }]);
  const gw = await servers.gateway(openaiEnv(upstream), { gateway: { cache } });
  return { upstream, gw };
}

async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("OpenAI chat completions", () => {
  test("an identical request (keys in another order, another user) is a hit with the same body; a changed message, model or max_tokens is a miss", async () => {
    const { upstream, gw } = await cachedGateway();
    const first = await postRaw(gw.gateway, CHAT, ask("Hi"));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("x-llmux-cache"), "miss");
    assert.equal(first.text, ANSWER_TEXT);

    // The same request as another client writes it: keys shuffled, and `user` does not change the answer.
    const shuffled = `{"messages":[{"content":"Hi","role":"user"}],"user":"alice","max_tokens":50,"model":"openai:gpt-4.1-mini","temperature":0}`;
    const { data, response } = await gw.client().chat.completions.create(JSON.parse(shuffled)).withResponse();
    assert.equal(response.headers.get("x-llmux-cache"), "hit");
    assert.equal(response.headers.get("x-llmux-model"), "openai:gpt-4.1-mini");
    assert.deepEqual(data, JSON.parse(ANSWER_TEXT));
    assert.equal(upstream.requests.length, 1);

    for (const changed of [
      ask("Hello"),
      ask("Hi", { model: "openai:gpt-4.1-nano" }),
      ask("Hi", { max_tokens: 51 }),
    ]) {
      const before: number = upstream.requests.length;
      const answer = await postRaw(gw.gateway, CHAT, changed);
      assert.equal(answer.headers.get("x-llmux-cache"), "miss");
      assert.equal(upstream.requests.length, before + 1);
    }
  });

  test("temperature 0.7 (or none: OpenAI's default is 1) is not cached unless the request says x-llmux-cache: on; off bypasses the cache", async () => {
    const { upstream, gw } = await cachedGateway();
    for (const body of [ask("Hi", { temperature: 0.7 }), { ...ask("Hi"), temperature: undefined }]) {
      const before = upstream.requests.length;
      for (let i = 0; i < 2; i++) {
        const answer = await postRaw(gw.gateway, CHAT, body);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get("x-llmux-cache"), null);
      }
      assert.equal(upstream.requests.length, before + 2);
    }
    const warm = ask("Hi", { temperature: 0.7 });
    const on = { "x-llmux-cache": "on" };
    assert.equal((await postRaw(gw.gateway, CHAT, warm, on)).headers.get("x-llmux-cache"), "miss");
    assert.equal((await postRaw(gw.gateway, CHAT, warm, on)).headers.get("x-llmux-cache"), "hit");

    await postRaw(gw.gateway, CHAT, ask("Hi"));
    const before = upstream.requests.length;
    const bypassed = await postRaw(gw.gateway, CHAT, ask("Hi"), { "x-llmux-cache": "off" });
    assert.equal(bypassed.headers.get("x-llmux-cache"), null);
    assert.equal(bypassed.text, ANSWER_TEXT);
    assert.equal(upstream.requests.length, before + 1);

    const wrong = await postRaw(gw.gateway, CHAT, ask("Hi"), { "x-llmux-cache": "yes" });
    assert.equal(wrong.status, 400);
    assert.match(JSON.parse(wrong.text).error.message, /x-llmux-cache header: give on or off/);
  });

  test("a streamed hit is a stream of the same events, byte for byte; a whole request does not get a streamed answer", async () => {
    const { upstream, gw } = await cachedGateway();
    const streamed = ask("Hi", { stream: true });
    const first = await postRaw(gw.gateway, CHAT, streamed);
    assert.equal(first.headers.get("x-llmux-cache"), "miss");
    assert.match(first.text, /^data: \{/);
    const second = await postRaw(gw.gateway, CHAT, streamed);
    assert.equal(second.headers.get("x-llmux-cache"), "hit");
    assert.equal(second.headers.get("content-type"), first.headers.get("content-type"));
    assert.equal(second.headers.get("content-length"), null);
    assert.equal(second.text, first.text);
    assert.equal(upstream.requests.length, 1);

    // The official client reads the hit as the stream it is.
    let text = "";
    for await (const chunk of await gw.client().chat.completions.create({ ...ask("Hi"), stream: true })) {
      text += chunk.choices[0]?.delta.content ?? "";
    }
    const events = first.text
      .split("\n\n")
      .filter((e) => e.startsWith("data: {"))
      .map((e) => JSON.parse(e.slice(6)) as { choices: { delta: { content?: string } }[] });
    assert.equal(text, events.map((e) => e.choices[0]?.delta.content ?? "").join(""));
    assert.equal(upstream.requests.length, 1);

    const whole = await postRaw(gw.gateway, CHAT, ask("Hi"));
    assert.equal(whole.headers.get("x-llmux-cache"), "miss");
    assert.equal(whole.text, ANSWER_TEXT);
  });

  test("a hit is a usage row at cost 0 with the original token counts, marked cached; the metrics count hits, misses and skips", async () => {
    const { gw } = await cachedGateway();
    await postRaw(gw.gateway, CHAT, ask("Hi"));
    await postRaw(gw.gateway, CHAT, ask("Hi"));
    await postRaw(gw.gateway, CHAT, ask("Hi", { temperature: 1 }));
    const url = gw.gateway.url;
    assert.equal(await metric(url, 'llmux_gateway_cache_requests_total{result="hit"}'), 1);
    assert.equal(await metric(url, 'llmux_gateway_cache_requests_total{result="miss"}'), 1);
    assert.equal(await metric(url, 'llmux_gateway_cache_requests_total{result="skip"}'), 1);
    assert.equal(await metric(url, "llmux_gateway_cache_bytes"), ENTRY_BYTES);
    await gw.gateway.close();

    const [miss, hit] = usageRows(gw.home);
    assert.ok((miss!.cost_usd as number) > 0);
    assert.equal(miss!.cached, 0);
    assert.equal(hit!.cost_usd, 0);
    assert.equal(hit!.cached, 1);
    assert.equal(hit!.input_tokens, miss!.input_tokens);
    assert.equal(hit!.output_tokens, miss!.output_tokens);
    assert.equal(hit!.outcome, "ok");

    const usage = await runCli(["usage", "--json"], { home: gw.home });
    assert.equal(usage.code, 0, usage.stderr);
    const [day] = parseJsonLines(usage.stdout);
    assert.equal(day!.calls, 3);
    assert.equal(day!.cacheHits, 1);
    const table = await runCli(["usage"], { home: gw.home });
    assert.match(table.stdout, /CALLS\s+ERRORS\s+CACHE HITS\s/);
    assert.match(table.stdout, /total\s+3\s+0\s+1\s/);
  });

  test("entries expire after ttlSeconds; the least recently used go when maxBytes is full; an answer over maxEntryBytes is not kept", async () => {
    const { upstream, gw } = await cachedGateway({
      enabled: true,
      ttlSeconds: 2,
      maxBytes: Math.floor(ENTRY_BYTES * 1.5),
    });
    const status = async (content: string) =>
      (await postRaw(gw.gateway, CHAT, ask(content))).headers.get("x-llmux-cache");
    assert.equal(await status("a"), "miss");
    assert.equal(await status("a"), "hit");
    assert.equal(await status("b"), "miss");
    // Room for one: "b" pushed "a" out.
    assert.equal(await status("b"), "hit");
    assert.equal(await status("a"), "miss");
    await sleep(2500);
    assert.equal(await status("a"), "miss");
    assert.equal(upstream.requests.length, 4);

    const small = await cachedGateway({ enabled: true, maxEntryBytes: ENTRY_BYTES - 600 });
    for (let i = 0; i < 2; i++) {
      const answer = await postRaw(small.gw.gateway, CHAT, ask("Hi"));
      assert.equal(answer.headers.get("x-llmux-cache"), "miss");
      assert.equal(answer.text, ANSWER_TEXT);
    }
    assert.equal(small.upstream.requests.length, 2);
  });
});

describe("keys", () => {
  test("a key made with `llmux keys create --cache` is cached and sees only its own answers; a key without is not cached; cache.shared lets keys share", async () => {
    const upstream = await servers.openai([{ fixture: "openai/chat/openai-text" }]);
    const home = makeHome();
    const create = async (flags: string[]) => {
      const created = await runCli(["keys", "create", ...flags, "--json"], { home });
      assert.equal(created.code, 0, created.stderr);
      return parseJsonLines<{ id: string; token: string; cache: boolean }>(created.stdout)[0]!;
    };
    const [a, b, plain] = [await create(["--cache"]), await create(["--cache"]), await create([])];
    assert.equal(a.cache, true);
    assert.equal(plain.cache, false);
    const listed = parseJsonLines((await runCli(["keys", "list", "--json"], { home })).stdout);
    assert.deepEqual(
      listed.map((k) => k.cache),
      [true, true, false],
    );

    const gw = await servers.gateway(openaiEnv(upstream), {}, { home });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const status = async (token: string) =>
      (await postRaw(gw.gateway, CHAT, ask("Hi"), as(token))).headers.get("x-llmux-cache");
    assert.equal(await status(a.token), "miss");
    assert.equal(await status(a.token), "hit");
    assert.equal(await status(b.token), "miss");
    assert.equal(await status(b.token), "hit");
    assert.equal(await status(plain.token), null);
    // The config leaves the cache off: a request asks for it itself.
    const on = async () =>
      (await postRaw(gw.gateway, CHAT, ask("Hi"), { ...as(plain.token), "x-llmux-cache": "on" })).headers.get(
        "x-llmux-cache",
      );
    assert.equal(await on(), "miss");
    assert.equal(await on(), "hit");
    assert.equal(upstream.requests.length, 4);

    const {
      home: sharedHome,
      created: [first, second],
    } = homeWithKeys("llmux-cache-shared-", [{}, {}]);
    const shared = await servers.gateway(
      openaiEnv(upstream),
      { gateway: { cache: { enabled: true, shared: true } } },
      { home: sharedHome },
    );
    const sharedStatus = async (token: string) =>
      (await postRaw(shared.gateway, CHAT, ask("Hi"), as(token))).headers.get("x-llmux-cache");
    assert.equal(await sharedStatus(first.token), "miss");
    assert.equal(await sharedStatus(second.token), "hit");
  });
});

describe("other dialects", () => {
  test("Anthropic's Messages API, through @anthropic-ai/sdk: the second identical request is a hit", async () => {
    const upstream = await servers.anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const gw = await servers.gateway(anthropicEnv(upstream), { gateway: { cache: { enabled: true } } });
    const client = new Anthropic({ baseURL: gw.gateway.url, apiKey: "no-key", maxRetries: 0 });
    const request = {
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 100,
      temperature: 0,
      messages: [{ role: "user" as const, content: "Hi" }],
    };
    const first = await client.messages.create(request).withResponse();
    const second = await client.messages.create(request).withResponse();
    assert.equal(first.response.headers.get("x-llmux-cache"), "miss");
    assert.equal(second.response.headers.get("x-llmux-cache"), "hit");
    assert.deepEqual(second.data, first.data);
    assert.equal(upstream.requests.length, 1);
  });

  test("Ollama's /api/chat, through the ollama client: a streamed hit gives the same parts, and Ollama's default temperature (0.8) is not cached", async () => {
    const upstream = await startOllamaServer([
      ollamaResponses.chat("Hello from Ollama", { model: "llama3.2:3b" }),
    ]);
    servers.keep(upstream);
    const gw = await servers.gateway(
      { OLLAMA_HOST: upstream.url },
      { gateway: { cache: { enabled: true } } },
    );
    const client = new Ollama({ host: gw.gateway.url });
    const chat = async (options: Record<string, unknown>) => {
      const parts: unknown[] = [];
      const messages = [{ role: "user", content: "Hi" }];
      for await (const part of await client.chat({
        model: "ollama:llama3.2:3b",
        messages,
        options,
        stream: true,
      })) {
        parts.push(part);
      }
      return parts;
    };
    const first = await chat({ temperature: 0 });
    assert.deepEqual(await chat({ temperature: 0 }), first);
    assert.equal(upstream.requests.length, 1);
    await chat({});
    await chat({});
    assert.equal(upstream.requests.length, 3);
  });
});

describe("Responses and embeddings", () => {
  test("a Responses request is cached only with store: false (a stored one has server-side state); embeddings are cached without a temperature", async () => {
    const groq = await servers.openai([{ fixture: "groq/groq-text" }]);
    const embedder = await servers.openai([{ fixture: "openai/embedding/openai-embedding" }]);
    const gw = await servers.gateway(
      { ...openaiEnv(embedder), GROQ_API_KEY: "gsk-test-key-123456", GROQ_BASE_URL: `${groq.url}/openai/v1` },
      { gateway: { cache: { enabled: true } } },
    );
    const response = { model: "groq:llama-3.3-70b-versatile", input: "Invent a holiday", temperature: 0 };
    for (let i = 0; i < 2; i++) {
      const stored = await postRaw(gw.gateway, "/v1/responses", response);
      assert.equal(stored.status, 200);
      assert.equal(stored.headers.get("x-llmux-cache"), null);
    }
    const unstored = { ...response, store: false };
    const first = await gw.client().responses.create(unstored).withResponse();
    const second = await gw.client().responses.create(unstored).withResponse();
    assert.equal(first.response.headers.get("x-llmux-cache"), "miss");
    assert.equal(second.response.headers.get("x-llmux-cache"), "hit");
    assert.deepEqual(second.data, first.data);
    assert.equal(groq.requests.length, 3);

    const embed = {
      model: "openai:text-embedding-3-small",
      input: ["sunny day"],
      encoding_format: "float" as const,
    };
    const vectors = await gw.client().embeddings.create(embed).withResponse();
    const again = await gw.client().embeddings.create(embed).withResponse();
    assert.equal(vectors.response.headers.get("x-llmux-cache"), "miss");
    assert.equal(again.response.headers.get("x-llmux-cache"), "hit");
    assert.deepEqual(again.data, vectors.data);
    assert.equal(embedder.requests.length, 1);
  });
});

/** A streamed request to `gateway` until it is a hit (an answer is kept after its response ends), 1 s at most. */
async function askUntilHit(gateway: Gateway) {
  let answer = await postRaw(gateway, CHAT, ask("Hi", { stream: true }));
  for (let i = 0; i < 20 && answer.headers.get("x-llmux-cache") !== "hit"; i++) {
    await sleep(50);
    answer = await postRaw(gateway, CHAT, ask("Hi", { stream: true }));
  }
  return answer;
}

describe("two gateways on one Redis", () => {
  test("a miss on one is a hit on the other; with Redis frozen or down requests are still answered, as misses", async () => {
    const redis = await startRedis();
    servers.keep({ close: () => redis.stop() });
    const upstream = await servers.openai([{ fixture: "openai/chat/openai-text" }]);
    const env = { ...openaiEnv(upstream), LLMUX_REDIS_URL: redis.url };
    const config = { gateway: { cache: { enabled: true } } };
    const [a, b] = [await servers.gateway(env, config), await servers.gateway(env, config)];

    const onA = await postRaw(a.gateway, CHAT, ask("Hi", { stream: true }));
    assert.equal(onA.headers.get("x-llmux-cache"), "miss");
    // Kept in Redis once A's response has ended (one value, with the TTL), then found by B.
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    let kept: string[] = [];
    for (let i = 0; i < 20 && kept.length === 0; i++) {
      kept = await inspector.keys("llmux:cache:*");
      if (kept.length === 0) await sleep(50);
    }
    assert.equal(kept.length, 1);
    const ttl = await inspector.pTTL(kept[0]!);
    assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, String(ttl));
    inspector.destroy();
    const onB = await postRaw(b.gateway, CHAT, ask("Hi", { stream: true }));
    assert.equal(onB.headers.get("x-llmux-cache"), "hit");
    assert.equal(onB.text, onA.text);
    assert.equal(upstream.requests.length, 1);
    // A Redis that does not answer (frozen) is given 500 ms a look-up: the request is then a miss.
    redis.pause();
    const frozen = await postRaw(a.gateway, CHAT, ask("Hi", { stream: true }));
    redis.resume();
    assert.equal(frozen.status, 200);
    assert.equal(frozen.headers.get("x-llmux-cache"), "miss");
    assert.equal(frozen.text, onA.text);
    // Once Redis answers again, so does the cache.
    assert.equal((await askUntilHit(a.gateway)).headers.get("x-llmux-cache"), "hit");

    await redis.stop();
    const calls = upstream.requests.length;
    for (const gw of [a, b, a]) {
      const answer = await postRaw(gw.gateway, CHAT, ask("Hi", { stream: true }));
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get("x-llmux-cache"), "miss");
      assert.equal(answer.text, onA.text);
    }
    assert.equal(upstream.requests.length, calls + 3);
  });
});
