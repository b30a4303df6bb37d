// The gateway's browser boundary, through real HTTP on loopback: a Host header that is not the
// gateway's (DNS rebinding), a foreign Origin, a body not typed JSON, and CORS for the origins the
// operator allows. The same-origin web app is covered by test/web.test.ts.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { after, describe, test } from "node:test";
import OpenAI from "openai";
import type { Gateway } from "../src/gateway/start-gateway.ts";
import { OPENAI_KEY, postRaw, startTestGateway, type TestGateway } from "./gateway-support.ts";
import { type ProviderServer, startOpenAIServer } from "./servers/index.ts";

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

async function upstream(): Promise<ProviderServer> {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  cleanup.push(() => server.close());
  return server;
}

async function gateway(
  server: ProviderServer,
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const started = await startTestGateway(
    { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${server.url}/v1`, ...env },
    config,
  );
  cleanup.push(() => started.gateway.close());
  return started;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with any headers, Host included (fetch would set its own Host). */
function send(
  gw: Gateway,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; agent?: Agent },
): Promise<RawResponse> {
  const url = new URL(options.path, gw.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const chatBody = JSON.stringify({
  model: "openai:gpt-4.1-nano",
  messages: [{ role: "user", content: "Hi" }],
});
const port = (gw: Gateway) => new URL(gw.url).port;

function assertError(response: RawResponse, status: number, code: string): string {
  assert.equal(response.status, status, response.text);
  assert.equal(response.text.includes("\n"), false);
  const body = JSON.parse(response.text) as {
    error: { message: string; type: string; param: unknown; code: string };
  };
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(body.error.code, code);
  return body.error.message;
}

function assertNoCors(response: RawResponse): void {
  for (const name of Object.keys(response.headers)) assert.doesNotMatch(name, /^access-control-/);
}

describe("Host header (DNS rebinding)", () => {
  test("a name the gateway is not known by is refused before routing: nothing reaches the upstream", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server);
    const host = `evil.example:${port(gw)}`;
    const chat = await send(gw, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { host, "content-type": "application/json" },
      body: chatBody,
    });
    const message = assertError(chat, 403, "host_not_allowed");
    assert.match(message, /^Host "evil\.example:\d+" is not allowed: .*localhost.*DNS rebinding/);
    assert.match(message, /gateway\.allowedHosts in the config or to LLMUX_ALLOWED_HOSTS$/);
    for (const path of ["/v1/models", "/app/api/conversations", "/", "/healthz"]) {
      assertError(await send(gw, { path, headers: { host } }), 403, "host_not_allowed");
    }
    assert.equal(server.requests.length, 0);
  });

  test("the gateway's own names and IP addresses are served, with any port", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server);
    for (const host of [
      `localhost:${port(gw)}`,
      `LOCALHOST:${port(gw)}`,
      `app.localhost:${port(gw)}`,
      `127.0.0.1:${port(gw)}`,
      `[::1]:${port(gw)}`,
      "localhost:8080",
      "localhost",
    ]) {
      const response = await send(gw, { path: "/v1/models", headers: { host } });
      assert.equal(response.status, 200, `${host}: ${response.text}`);
    }
    // Not fooled by a name that only starts like the gateway's own.
    for (const host of ["localhost.evil.example", "127.0.0.1.evil.example", "evil-localhost", "2130706433"]) {
      assertError(await send(gw, { path: "/v1/models", headers: { host } }), 403, "host_not_allowed");
    }
  });

  test("gateway.allowedHosts and LLMUX_ALLOWED_HOSTS add names; * allows any", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(
      server,
      { gateway: { allowedHosts: ["llm.example.com", "*.internal.example"] } },
      { LLMUX_ALLOWED_HOSTS: " other.example , " },
    );
    for (const host of ["llm.example.com", "LLM.example.com:443", "a.internal.example:1", "other.example"]) {
      assert.equal((await send(gw, { path: "/v1/models", headers: { host } })).status, 200, host);
    }
    assertError(
      await send(gw, { path: "/v1/models", headers: { host: "internal.example" } }),
      403,
      "host_not_allowed",
    );
    const { gateway: open } = await gateway(server, {}, { LLMUX_ALLOWED_HOSTS: "*" });
    assert.equal((await send(open, { path: "/v1/models", headers: { host: "evil.example" } })).status, 200);
  });
});

describe("Content-Type: a browser-style POST that skips the CORS preflight is refused", () => {
  test("text/plain and form bodies from a page (any Origin) get a 415 on /v1 and /app/api, and nothing is done", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server, {}, { LLMUX_ORIGINS: "https://app.example" });
    // The gateway's own page and an allowed site alike (other origins are refused before: 403).
    const origins = [gw.url, "https://app.example"];
    let sent = 0;
    // A client that keeps connections open: the gateway closes the one whose body it left unread.
    const agent = new Agent({ keepAlive: true });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      for (const path of [
        "/v1/chat/completions",
        "/v1/embeddings",
        "/app/api/summarize",
        "/app/api/conversations",
      ]) {
        const body =
          path === "/app/api/summarize" ? JSON.stringify({ url: "https://example.com" }) : chatBody;
        const response = await send(gw, {
          method: "POST",
          path,
          headers: { "content-type": type, origin: origins[sent++ % origins.length]! },
          body,
          agent,
        });
        const message = assertError(response, 415, "unsupported_media_type");
        assert.equal(response.headers.connection, "close", "the unread body is not read");
        assert.match(message, /^Send the body as JSON, with Content-Type: application\/json \(not "/);
      }
    }
    const none = await send(gw, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { origin: gw.url },
      body: chatBody,
    });
    assert.match(assertError(none, 415, "unsupported_media_type"), /\(none was given\)$/);
    const patch = await send(gw, {
      method: "PATCH",
      path: "/app/api/conversations/abc",
      headers: { "content-type": "text/plain", origin: gw.url },
      body: "{}",
    });
    assertError(patch, 415, "unsupported_media_type");
    agent.destroy();
    assert.equal(server.requests.length, 0);
    const list = await fetch(`${gw.url}/app/api/conversations`);
    assert.deepEqual(((await list.json()) as { conversations: unknown[] }).conversations, []);
  });

  test("without an Origin (curl -d, scripts) a JSON body is read whatever type it declares", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server);
    for (const headers of [{ "content-type": "application/x-www-form-urlencoded" }, {}] as Record<
      string,
      string
    >[]) {
      const response = await send(gw, {
        method: "POST",
        path: "/v1/chat/completions",
        headers,
        body: chatBody,
      });
      assert.equal(response.status, 200, response.text);
    }
    assert.equal(server.requests.length, 2);
  });

  test("JSON with parameters passes", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server);
    const response = await postRaw(gw, "/v1/chat/completions", chatBody, {
      "content-type": "Application/JSON; charset=utf-8",
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(server.requests.length, 1);
  });
});

describe("Origin and CORS", () => {
  const preflightHeaders = (origin: string) => ({
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type, x-stainless-os",
  });

  test("a foreign origin is refused with a 403 and no CORS headers, preflight included", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server, { gateway: { allowedOrigins: ["https://app.example"] } });
    const origin = "https://evil.example";
    const post = await send(gw, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { origin, "content-type": "application/json" },
      body: chatBody,
    });
    const message = assertError(post, 403, "origin_not_allowed");
    assert.match(message, /^Origin "https:\/\/evil\.example" is not allowed .*LLMUX_ORIGINS$/);
    assertNoCors(post);
    const preflight = await send(gw, {
      method: "OPTIONS",
      path: "/v1/chat/completions",
      headers: preflightHeaders(origin),
    });
    assertError(preflight, 403, "origin_not_allowed");
    assertNoCors(preflight);
    const get = await send(gw, { path: "/v1/models", headers: { origin: "null" } });
    assertError(get, 403, "origin_not_allowed");
    assertNoCors(get);
    // Another port of the gateway's own host is another origin.
    const otherPort = await send(gw, { path: "/v1/models", headers: { origin: "http://127.0.0.1:1" } });
    assertError(otherPort, 403, "origin_not_allowed");
    assert.equal(server.requests.length, 0);
  });

  test("the gateway's own origin is served without CORS headers", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server);
    const response = await postRaw(gw, "/v1/chat/completions", chatBody, { origin: gw.url });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers.get("access-control-allow-origin"), null);
  });

  test("a configured origin gets its preflight answered and CORS headers on answers, streams included", async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(
      server,
      { gateway: { allowedOrigins: ["https://app.example"] } },
      { LLMUX_ORIGINS: "http://localhost:*,chrome-extension://*" },
    );
    for (const origin of ["https://app.example", "http://localhost:5173", "chrome-extension://abcdef"]) {
      const preflight = await send(gw, {
        method: "OPTIONS",
        path: "/v1/chat/completions",
        headers: preflightHeaders(origin),
      });
      assert.equal(preflight.status, 204, preflight.text);
      assert.equal(preflight.headers["access-control-allow-origin"], origin);
      assert.match(String(preflight.headers["access-control-allow-methods"]), /\bPOST\b/);
      assert.equal(
        preflight.headers["access-control-allow-headers"],
        "authorization, content-type, anthropic-version, x-api-key, x-stainless-os",
      );
      assert.equal(preflight.headers["access-control-max-age"], "600");
      assert.match(String(preflight.headers.vary), /^Origin\b/);
    }
    for (const origin of [
      "http://localhost.evil.example:1",
      "https://localhost:5173",
      "https://app.example.evil",
    ]) {
      const refused = await send(gw, { path: "/v1/models", headers: { origin } });
      assertError(refused, 403, "origin_not_allowed");
    }

    // The request itself, as the official client in a browser page would send it.
    const openai = new OpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: "none",
      maxRetries: 0,
      defaultHeaders: { origin: "https://app.example" },
    });
    const { data, response } = await openai.chat.completions
      .create({ model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    assert.ok(data.choices[0]?.message.content);
    assert.equal(response.headers.get("access-control-allow-origin"), "https://app.example");
    assert.equal(response.headers.get("vary"), "Origin");
    assert.match(response.headers.get("access-control-expose-headers")!, /x-llmux-model/);

    const stream = await postRaw(
      gw,
      "/v1/chat/completions",
      { model: "openai:gpt-4.1-nano", messages: [{ role: "user", content: "Hi" }], stream: true },
      { origin: "http://localhost:5173" },
    );
    assert.equal(stream.status, 200, stream.text);
    assert.match(stream.headers.get("content-type")!, /^text\/event-stream/);
    assert.equal(stream.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.match(stream.text, /data: \[DONE\]/);

    // An error answer carries them too, so the page can read why.
    const bad = await postRaw(gw, "/v1/chat/completions", "{", { origin: "https://app.example" });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("access-control-allow-origin"), "https://app.example");
  });

  test('"*" allows every origin', async () => {
    const server = await upstream();
    const { gateway: gw } = await gateway(server, {}, { LLMUX_ORIGINS: "*" });
    const response = await send(gw, { path: "/v1/models", headers: { origin: "https://anything.example" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "https://anything.example");
  });
});
