// OpenTelemetry: the gateway in-process exports its spans and metrics over OTLP/HTTP to a loopback
// receiver; what it receives is checked the way a collector would see it.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { APIError } from "openai";
import { anthropicEnv, gatewayTestServers, openaiEnv, postRaw } from "./gateway-support.ts";
import { readFixture } from "./servers/index.ts";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "./servers/start-otlp-receiver.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { collect } from "./support/run-cli.ts";
import { serveBinary } from "./support/serve-binary.ts";

const { keep, openai, anthropic, gateway } = gatewayTestServers();
// `llmux serve` processes a test started, killed if it failed before stopping them.
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
// Text no attribute or metric would hold by chance: found in an export only if the prompt leaked.
const PROMPT = "Plan the purple-elephant-4711 migration";
const messages = [{ role: "user" as const, content: PROMPT }];
const openAIText = readFixture("openai/chat/openai-text");
const openAIJson = openAIText.json as {
  usage: { prompt_tokens: number; completion_tokens: number };
  choices: { message: { content: string }; finish_reason: string }[];
};
const openAIStreamUsage = (
  JSON.parse(openAIText.lines!.at(-1)!) as { usage: { prompt_tokens: number; completion_tokens: number } }
).usage;
const anthropicJson = readFixture("anthropic/anthropic-text").json as {
  usage: { input_tokens: number; output_tokens: number };
  content: { text: string }[];
  stop_reason: string;
};

async function receiver(): Promise<OtlpReceiver> {
  return keep(await startOtlpReceiver());
}

/** The request's server span and its children, in start order, once the gateway has closed (and flushed). */
function requestTree(spans: ReceivedSpan[], route: string) {
  const request = spans.find((s) => s.kind === SERVER && s.attributes["http.route"] === route);
  assert.ok(request, `no server span for ${route} among ${spans.map((s) => s.name).join(", ")}`);
  const attempts = spans
    .filter((s) => s.parentSpanId === request.spanId)
    .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
  return { request, attempts };
}

const exported = (otlp: OtlpReceiver) => Buffer.concat(otlp.requests.map((r) => r.body)).toString();

describe("OpenTelemetry traces", () => {
  test("a chat completion: a server span with one client span per upstream call, GenAI attributes, no text", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server), {
      telemetry: { otlpEndpoint: otlp.url, serviceName: "gateway-under-test" },
    });
    const completion = await client().chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages,
      max_tokens: 400,
      temperature: 0.3,
    });
    assert.equal(completion.choices[0]!.message.content, openAIJson.choices[0]!.message.content);
    await gw.close();

    const { request, attempts } = requestTree(otlp.spans(), "/v1/chat/completions");
    assert.equal(request.name, "POST /v1/chat/completions");
    assert.equal(request.parentSpanId, undefined);
    assert.equal(request.serviceName, "gateway-under-test");
    assert.equal(request.statusCode, 0);
    assert.deepEqual(
      {
        status: request.attributes["http.response.status_code"],
        operation: request.attributes["gen_ai.operation.name"],
        provider: request.attributes["gen_ai.provider.name"],
        requested: request.attributes["gen_ai.request.model"],
        input: request.attributes["gen_ai.usage.input_tokens"],
        output: request.attributes["gen_ai.usage.output_tokens"],
      },
      {
        status: 200,
        operation: "chat",
        provider: "openai",
        requested: "openai:gpt-4.1-nano",
        input: openAIJson.usage.prompt_tokens,
        output: openAIJson.usage.completion_tokens,
      },
    );
    assert.equal(attempts.length, 1);
    const [call] = attempts;
    assert.equal(call!.name, "chat gpt-4.1-nano");
    assert.equal(call!.kind, CLIENT);
    assert.equal(call!.traceId, request.traceId);
    assert.equal(call!.attributes["gen_ai.request.model"], "gpt-4.1-nano");
    assert.equal(call!.attributes["gen_ai.request.max_tokens"], 400);
    assert.equal(call!.attributes["gen_ai.request.temperature"], 0.3);
    assert.equal(call!.attributes["gen_ai.usage.output_tokens"], openAIJson.usage.completion_tokens);
    assert.deepEqual(call!.attributes["gen_ai.response.finish_reasons"], [
      openAIJson.choices[0]!.finish_reason,
    ]);
    assert.deepEqual(request.attributes["gen_ai.response.finish_reasons"], [
      openAIJson.choices[0]!.finish_reason,
    ]);
    // The child lies within its parent.
    assert.ok(BigInt(call!.startTimeUnixNano) >= BigInt(request.startTimeUnixNano));
    assert.ok(BigInt(call!.endTimeUnixNano) <= BigInt(request.endTimeUnixNano));

    const everything = exported(otlp);
    assert.ok(!everything.includes("purple-elephant"), "the prompt was exported");
    assert.ok(
      !everything.includes(openAIJson.choices[0]!.message.content.slice(0, 40)),
      "the answer was exported",
    );
  });

  test("a streamed completion, an Anthropic Messages and an Ollama chat request carry the usage their upstream reported", async () => {
    const otlp = await receiver();
    const openaiServer = await openai([{ fixture: "openai/chat/openai-text" }]);
    const anthropicServer = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { gateway: gw, client } = await gateway(
      { ...openaiEnv(openaiServer), ...anthropicEnv(anthropicServer) },
      { telemetry: { otlpEndpoint: otlp.url } },
    );
    const stream = await client().chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages,
      stream: true,
    });
    for await (const _ of stream);
    const response = await postRaw(gw, "/v1/messages", {
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 100,
      messages,
    });
    assert.equal(response.status, 200);
    const ollamaChat = await postRaw(gw, "/api/chat", {
      model: "openai:gpt-4.1-nano",
      messages,
      stream: false,
    });
    assert.equal(ollamaChat.status, 200);
    await gw.close();

    const spans = otlp.spans();
    const ollamaTree = requestTree(spans, "/api/chat");
    assert.equal(ollamaTree.request.attributes["llmux.dialect"], "ollama");
    assert.equal(ollamaTree.attempts[0]?.name, "chat gpt-4.1-nano");
    assert.equal(ollamaTree.request.attributes["gen_ai.usage.input_tokens"], openAIJson.usage.prompt_tokens);
    const streamed = requestTree(spans, "/v1/chat/completions");
    assert.equal(streamed.request.attributes["gen_ai.request.stream"], true);
    assert.equal(streamed.request.attributes["gen_ai.usage.input_tokens"], openAIStreamUsage.prompt_tokens);
    assert.equal(
      streamed.request.attributes["gen_ai.usage.output_tokens"],
      openAIStreamUsage.completion_tokens,
    );
    assert.equal(typeof streamed.request.attributes["gen_ai.response.time_to_first_chunk"], "number");
    const messagesTree = requestTree(spans, "/v1/messages");
    assert.equal(messagesTree.request.attributes["llmux.dialect"], "anthropic");
    assert.equal(messagesTree.attempts.length, 1);
    const call = messagesTree.attempts[0]!;
    assert.equal(call.name, "chat claude-sonnet-4-5");
    assert.equal(call.attributes["gen_ai.provider.name"], "anthropic");
    assert.equal(call.attributes["gen_ai.usage.input_tokens"], anthropicJson.usage.input_tokens);
    assert.equal(call.attributes["gen_ai.usage.output_tokens"], anthropicJson.usage.output_tokens);
    assert.equal(call.attributes["gen_ai.request.max_tokens"], 100);
    assert.deepEqual(call.attributes["gen_ai.response.finish_reasons"], [anthropicJson.stop_reason]);
    // Translated (Ollama's chat to an OpenAI model): OpenAI's own word, from the provider layer.
    assert.deepEqual(ollamaTree.attempts[0]!.attributes["gen_ai.response.finish_reasons"], ["stop"]);
    assert.deepEqual(streamed.request.attributes["gen_ai.response.finish_reasons"], ["stop"]);
    const everything = exported(otlp);
    assert.ok(!everything.includes("purple-elephant"), "the prompt was exported");
    assert.ok(!everything.includes(anthropicJson.content[0]!.text.slice(0, 30)), "the answer was exported");
  });

  test("a retried call is two client spans, the failed one an error with its error.type", async () => {
    const otlp = await receiver();
    const server = await openai([{ status: 500 }, { fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server), {
      telemetry: { otlpEndpoint: otlp.url },
      gateway: { maxRetries: 1 },
    });
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages });
    await gw.close();

    const { request, attempts } = requestTree(otlp.spans(), "/v1/chat/completions");
    assert.equal(request.statusCode, 0);
    assert.deepEqual(
      attempts.map((a) => [
        a.statusCode,
        typeof a.attributes["error.type"],
        a.attributes["gen_ai.usage.output_tokens"],
      ]),
      [
        [ERROR, "string", undefined],
        [0, "undefined", openAIJson.usage.completion_tokens],
      ],
    );
  });

  test("a fallback that fails too: a client span per provider tried, errors on each and on the request", async () => {
    const otlp = await receiver();
    const openaiServer = await openai([{ status: 500 }]);
    const anthropicServer = await anthropic([{ status: 500 }]);
    const { gateway: gw, client } = await gateway(
      { ...openaiEnv(openaiServer), ...anthropicEnv(anthropicServer) },
      {
        telemetry: { otlpEndpoint: otlp.url },
        gateway: { maxRetries: 0, fallbacks: { "openai:gpt-4.1-nano": ["anthropic:claude-sonnet-4-5"] } },
      },
    );
    const error = await client()
      .chat.completions.create({ model: "openai:gpt-4.1-nano", messages })
      .then(
        () => assert.fail("the request succeeded"),
        (e: APIError) => e,
      );
    await gw.close();

    const { request, attempts } = requestTree(otlp.spans(), "/v1/chat/completions");
    assert.equal(request.statusCode, ERROR);
    assert.equal(request.attributes["http.response.status_code"], error.status);
    assert.equal(request.attributes["error.type"], error.code ?? error.type);
    assert.equal(request.attributes["gen_ai.response.model"], undefined);
    assert.deepEqual(
      attempts.map((a) => [
        a.name,
        a.attributes["gen_ai.provider.name"],
        a.statusCode,
        typeof a.attributes["error.type"],
      ]),
      [
        ["chat gpt-4.1-nano", "openai", ERROR, "string"],
        ["chat claude-sonnet-4-5", "anthropic", ERROR, "string"],
      ],
    );
  });

  test("a client's traceparent makes the request span its child", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(openaiEnv(server), { telemetry: { otlpEndpoint: otlp.url } });
    const traceId = randomBytes(16).toString("hex");
    const parentId = randomBytes(8).toString("hex");
    const response = await postRaw(
      gw,
      "/v1/chat/completions",
      { model: "openai:gpt-4.1-nano", messages },
      { traceparent: `00-${traceId}-${parentId}-01` },
    );
    assert.equal(response.status, 200);
    await gw.close();

    const { request, attempts } = requestTree(otlp.spans(), "/v1/chat/completions");
    assert.equal(request.traceId, traceId);
    assert.equal(request.parentSpanId, parentId);
    assert.equal(attempts[0]!.traceId, traceId);
  });

  test("with captureMessageContent the prompt is exported on the model call's span", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server), {
      telemetry: { otlpEndpoint: otlp.url, captureMessageContent: true },
    });
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages });
    await gw.close();

    const { attempts } = requestTree(otlp.spans(), "/v1/chat/completions");
    assert.deepEqual(JSON.parse(attempts[0]!.attributes["gen_ai.input.messages"] as string), messages);
  });
});

describe("OpenTelemetry metrics", () => {
  test("token usage and call durations reach the collector, with the spec's names and units", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server), {
      telemetry: { otlpEndpoint: otlp.url, metricsIntervalMs: 100 },
    });
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages });
    // Exported on the interval, while the gateway runs.
    await otlp.waitFor((r) => r.metrics().some((m) => m.name === "gen_ai.client.token.usage"));
    await gw.close();

    const last = (name: string) =>
      otlp
        .metrics()
        .filter((m) => m.name === name)
        .at(-1)!;
    const tokens = last("gen_ai.client.token.usage");
    assert.equal(tokens.unit, "{token}");
    const byType = Object.fromEntries(tokens.points.map((p) => [p.attributes["gen_ai.token.type"], p.sum]));
    assert.deepEqual(byType, {
      input: openAIJson.usage.prompt_tokens,
      output: openAIJson.usage.completion_tokens,
    });
    const durations = last("gen_ai.client.operation.duration");
    assert.equal(durations.unit, "s");
    assert.equal(Number(durations.points[0]!.count), 1);
    assert.equal(durations.points[0]!.attributes["gen_ai.provider.name"], "openai");
    assert.ok(last("http.server.request.duration"));
  });
});

describe("OpenTelemetry's per-signal settings", () => {
  // Long enough for several metrics exports at a 50 ms interval, had metrics been on.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  /** The paths a gateway with `env` exported to, after one chat completion (and time for metrics). */
  async function exportedPaths(otlp: OtlpReceiver, env: Record<string, string>): Promise<string[]> {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(
      { ...openaiEnv(server), ...env },
      { telemetry: { metricsIntervalMs: 50 } },
    );
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages });
    await settle();
    await gw.close();
    return [...new Set(otlp.requests.map((r) => r.path))].sort();
  }

  test("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone: spans go to that URL as it is, no metrics anywhere", async () => {
    const otlp = await receiver();
    const paths = await exportedPaths(otlp, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/custom/spans`,
    });
    assert.deepEqual(paths, ["/custom/spans"]);
    assert.ok(otlp.spans().some((span) => span.kind === SERVER));
  });

  test("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT wins over the base URL for metrics; traces keep the base", async () => {
    const otlp = await receiver();
    const paths = await exportedPaths(otlp, {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${otlp.url}/custom/metrics`,
    });
    assert.deepEqual(paths, ["/custom/metrics", "/v1/traces"]);
    assert.ok(otlp.metrics().some((m) => m.name === "gen_ai.client.token.usage"));
  });

  test("OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none each turn one signal off", async () => {
    for (const [off, left] of [
      ["OTEL_TRACES_EXPORTER", "/v1/metrics"],
      ["OTEL_METRICS_EXPORTER", "/v1/traces"],
    ] as const) {
      const otlp = await receiver();
      const paths = await exportedPaths(otlp, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, [off]: "none" });
      assert.deepEqual(paths, [left], off);
    }
  });
});

describe("OpenTelemetry off, or its collector away", () => {
  test("OTEL_SDK_DISABLED=true turns it off whatever the config says: the collector gets nothing", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(
      { ...openaiEnv(server), OTEL_SDK_DISABLED: "true" },
      { telemetry: { otlpEndpoint: otlp.url, metricsIntervalMs: 50 } },
    );
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages });
    await gw.close();
    assert.equal(otlp.requests.length, 0);
  });

  test("a bad setting stops the gateway with one line naming it, never a header's value", async () => {
    await assert.rejects(gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }), (error: Error) => {
      assert.match(error.message, /^OTEL_EXPORTER_OTLP_ENDPOINT is not an http\(s\) URL: collector:4318/);
      return true;
    });
    await assert.rejects(
      gateway({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
        OTEL_EXPORTER_OTLP_HEADERS: "secret-token-4711",
      }),
      (error: Error) => {
        assert.match(error.message, /^OTEL_EXPORTER_OTLP_HEADERS is not a list of name=value pairs/);
        assert.ok(!error.message.includes("secret-token-4711"));
        return true;
      },
    );
    await assert.rejects(
      gateway({}, { telemetry: { otlpEndpoint: "collector" } }),
      /telemetry\.otlpEndpoint/,
    );
  });

  test("a gateway without telemetry does not load the OpenTelemetry SDK; one with it does", async () => {
    const home = makeTempDir("llmux-otel-off-");
    // A fresh process: the SDK's CommonJS modules show in require.cache once imported.
    const script = `
      import { createRequire } from "node:module";
      import { loadConfig } from "./src/core/load-config.ts";
      import { startGateway } from "./src/gateway/start-gateway.ts";
      const sdk = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => /@opentelemetry[\\\\/](sdk|exporter)/.test(p)).length;
      const env = (extra) => loadConfig({ cwd: ${JSON.stringify(home)}, env: { LLMUX_HOME: ${JSON.stringify(home)}, ...extra } });
      const off = await startGateway(env({}), { port: 0 });
      const withoutTelemetry = sdk();
      await off.close();
      const on = await startGateway(env({ OTEL_EXPORTER_OTLP_ENDPOINT: ${JSON.stringify(await closedLoopbackUrl())} }), { port: 0 });
      const withTelemetry = sdk();
      await on.close();
      console.log(JSON.stringify({ withoutTelemetry, withTelemetry }));
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = await collect(child, 60_000);
    assert.equal(run.code, 0, run.stderr);
    const counts = JSON.parse(run.stdout) as { withoutTelemetry: number; withTelemetry: number };
    assert.equal(counts.withoutTelemetry, 0);
    assert.ok(counts.withTelemetry > 0);
  });

  test("a collector that does not answer: requests still succeed, one log line without the header secret", async () => {
    const otlp = await receiver();
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const home = makeTempDir("llmux-otel-down-");
    // The environment wins over the config file: nothing goes to the receiver the file names.
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ telemetry: { otlpEndpoint: otlp.url, metricsIntervalMs: 200 } }),
    );
    const collector = await closedLoopbackUrl();
    const { child, url, stderr } = await serveBinary(
      children,
      {
        ...openaiEnv(server),
        OTEL_EXPORTER_OTLP_ENDPOINT: collector,
        OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=otel-secret-4711-abcdef",
        // How long an export retries a collector that does not answer (default 10 s).
        OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
      },
      home,
    );
    const ask = () =>
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "openai:gpt-4.1-nano", messages }),
      });
    for (const response of await Promise.all([ask(), ask(), ask()])) assert.equal(response.status, 200);
    const deadline = Date.now() + 20_000;
    while (!stderr().includes("OpenTelemetry") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await ask()).status, 200);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    assert.equal((await exited)[0], 0, stderr());
    const lines = stderr()
      .split("\n")
      .filter((line) => line.includes("OpenTelemetry"));
    assert.equal(lines.length, 1, stderr());
    assert.match(lines[0]!, new RegExp(`^llmux: OpenTelemetry export to ${collector} failed`));
    assert.ok(!stderr().includes("otel-secret-4711"));
    assert.equal(otlp.requests.length, 0);
  });
});
