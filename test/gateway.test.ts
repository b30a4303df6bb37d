// The gateway in-process against loopback provider servers, driven by real clients: the official
// `openai` package, the AI SDK's openai-compatible provider, and raw fetch where bytes matter.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { isLlmuxError } from "../src/core/errors.ts";
import { createGatewayKey } from "../src/store/gateway-keys.ts";
import { openDatabase } from "../src/store/open-database.ts";
import {
  anthropicEnv,
  gatewayTestServers,
  OPENAI_KEY,
  openaiEnv,
  postRaw,
  startTestGateway,
  usageRows,
} from "./gateway-support.ts";
import { readFixture, startCohereServer } from "./servers/index.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const { keep, openai, anthropic, gateway } = gatewayTestServers();

const openAIText = readFixture("openai/chat/openai-text");
const openAIAnswer = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
const openAIFrames = (lines: readonly string[]) =>
  `${lines.map((l) => `data: ${l}\n\n`).join("")}data: [DONE]\n\n`;
const isUsageOnly = (line: string) => (JSON.parse(line) as { choices: unknown[] }).choices.length === 0;
const ANTHROPIC_TEXT =
  "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?";
const anthropicLines = readFixture("anthropic/anthropic-text").lines!;
const ANTHROPIC_STREAMED_TEXT = anthropicLines
  .map((l) => JSON.parse(l) as { delta?: { text?: string } })
  .map((e) => e.delta?.text ?? "")
  .join("");
const hi = [{ role: "user" as const, content: "Hi" }];

describe("OpenAI-compatible upstreams: bytes forwarded as they are", () => {
  test("non-streaming: the client gets the upstream's bytes; the model name and auth are rewritten", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, home } = await gateway(openaiEnv(server));
    const response = await postRaw(
      gw,
      "/v1/chat/completions",
      { model: "openai:gpt-4.1-nano", messages: hi },
      {
        authorization: "Bearer client-token",
      },
    );
    assert.equal(response.status, 200);
    assert.equal(response.text, openAIText.jsonText);
    assert.equal(response.headers.get("x-llmux-model"), "openai:gpt-4.1-nano");
    const sent = server.requests[0]!;
    assert.equal(sent.json!.model, "gpt-4.1-nano");
    assert.equal(sent.headers.authorization, `Bearer ${OPENAI_KEY}`);
    await gw.close();
    const [row] = usageRows(home);
    assert.equal(row!.source, "gateway");
    assert.equal(row!.provider, "openai");
    assert.equal(row!.model, "gpt-4.1-nano");
    assert.equal(row!.outcome, "ok");
    assert.equal(row!.input_tokens, 16);
    assert.ok((row!.cost_usd as number) > 0);
  });

  test("a whole answer the upstream sent chunked goes out with its length; one over 1 MiB goes on chunked, intact", async () => {
    const large = {
      ...(openAIText.json as object),
      choices: [
        { index: 0, message: { role: "assistant", content: "x".repeat(1_500_000) }, finish_reason: "stop" },
      ],
    };
    // The loopback server sends both chunked (no content-length).
    const server = await openai([{ fixture: "openai/chat/openai-text" }, { json: large }]);
    const { gateway: gw } = await gateway(openaiEnv(server));
    const request = { model: "openai:gpt-4.1-nano", messages: hi };
    const small = await postRaw(gw, "/v1/chat/completions", request);
    assert.equal(small.text, openAIText.jsonText);
    assert.equal(small.headers.get("content-length"), String(Buffer.byteLength(small.text)));
    const big = await postRaw(gw, "/v1/chat/completions", request);
    assert.equal(big.status, 200);
    assert.equal(big.text, JSON.stringify(large));
    assert.equal(big.headers.get("content-length"), null);
  });

  test("streaming with include_usage: the SSE bytes are the upstream's, usage chunk included", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(openaiEnv(server));
    const response = await postRaw(gw, "/v1/chat/completions", {
      model: "gpt-4.1-nano",
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/event-stream/);
    assert.equal(response.text, openAIFrames(openAIText.lines!));
  });

  test("streaming without include_usage: usage is asked for upstream, logged, and not shown to the client", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, home } = await gateway(openaiEnv(server));
    const response = await postRaw(gw, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
      stream: true,
    });
    assert.equal(response.text, openAIFrames(openAIText.lines!.filter((l) => !isUsageOnly(l))));
    assert.deepEqual(server.requests[0]!.json!.stream_options, { include_usage: true });
    await gw.close();
    const [row] = usageRows(home);
    assert.equal(row!.input_tokens, 16);
    assert.equal(row!.output_tokens, 300);
  });

  test("the openai client and the AI SDK openai-compatible provider work through it", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server));
    const completion = await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi });
    assert.equal(completion.choices[0]!.message.content, openAIAnswer);

    const provider = createOpenAICompatible({ name: "llmux", baseURL: `${gw.url}/v1`, includeUsage: true });
    const generated = await generateText({
      model: provider("openai:gpt-4.1-nano"),
      prompt: "Hi",
      maxRetries: 0,
    });
    assert.equal(generated.text, openAIAnswer);
    const streamed = streamText({ model: provider("openai:gpt-4.1-nano"), prompt: "Hi", maxRetries: 0 });
    assert.ok((await streamed.text).length > 100);
    assert.equal((await streamed.usage).inputTokens, 16);
  });

  test("embeddings are forwarded too", async () => {
    const server = await openai([{ fixture: "openai/embedding/openai-embedding" }]);
    const { client } = await gateway(openaiEnv(server));
    const result = await client().embeddings.create({
      model: "openai:text-embedding-3-small",
      input: ["sunny day at the beach", "rainy day in the city"],
      encoding_format: "float",
    });
    assert.equal(result.data.length, 2);
    assert.equal(result.data[0]!.embedding[0], 0.0057293195);
    assert.equal(server.requests[0]!.json!.model, "text-embedding-3-small");
  });
});

describe("other providers: translated through the provider layer", () => {
  test("Anthropic, non-streaming, through the openai client", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { client } = await gateway(anthropicEnv(server));
    const completion = await client().chat.completions.create({
      model: "anthropic:claude-sonnet-4-5",
      messages: [{ role: "system", content: "Be kind" }, ...hi],
      max_tokens: 100,
      temperature: 0.5,
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "anthropic:claude-sonnet-4-5");
    assert.equal(completion.choices[0]!.message.content, ANTHROPIC_TEXT);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.deepEqual(
      [completion.usage!.prompt_tokens, completion.usage!.completion_tokens, completion.usage!.total_tokens],
      [12, 29, 41],
    );
    const sent = server.requests[0]!.json!;
    assert.equal(sent.max_tokens, 100);
    assert.equal(sent.temperature, 0.5);
    assert.deepEqual(sent.system, [{ type: "text", text: "Be kind" }]);
  });

  test("Anthropic, streaming, with include_usage, through the openai client", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { client } = await gateway(anthropicEnv(server));
    const stream = await client().chat.completions.create({
      model: "anthropic:claude-sonnet-4-5",
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      assert.equal(chunk.object, "chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, ANTHROPIC_STREAMED_TEXT);
    assert.equal(finish, "stop");
    assert.equal(usage?.prompt_tokens, 12);
    assert.equal(server.requests[0]!.json!.stream, true);
  });

  test("Anthropic tool calls, both ways: tools and tool results in, tool_calls out", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-tool-no-args" }]);
    const { client } = await gateway(anthropicEnv(server));
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "updateIssueList",
          description: "Update",
          parameters: { type: "object", properties: {} },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "Update the issues" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "updateIssueList", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "done" },
      { role: "user", content: [{ type: "text", text: "Again" }] },
    ];
    const completion = await client().chat.completions.create({
      model: "anthropic:claude-sonnet-4-5",
      messages,
      tools,
      tool_choice: "required",
    });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    assert.equal(completion.choices[0]!.finish_reason, "tool_calls");
    assert.equal(call.type === "function" && call.function.name, "updateIssueList");
    const sent = server.requests[0]!.json! as Record<string, unknown>;
    assert.deepEqual(
      (sent.tools as { name: string }[]).map((t) => t.name),
      ["updateIssueList"],
    );
    assert.deepEqual(sent.tool_choice, { type: "any" });
    assert.match(JSON.stringify(sent.messages), /"tool_result".*"call_1"|"call_1".*"tool_result"/);

    const stream = await client().chat.completions.create({
      model: "anthropic:claude-sonnet-4-5",
      messages: hi,
      tools,
      stream: true,
    });
    const names: string[] = [];
    let args = "";
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (delta.function?.name) names.push(delta.function.name);
        args += delta.function?.arguments ?? "";
      }
    }
    assert.deepEqual(names, ["updateIssueList"]);
    // The recorded call has no arguments; clients still get a JSON object to parse.
    assert.equal(args, "{}");
  });

  test("the AI SDK openai-compatible provider, streaming, against a translated model", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { gateway: gw } = await gateway(anthropicEnv(server));
    const provider = createOpenAICompatible({ name: "llmux", baseURL: `${gw.url}/v1`, includeUsage: true });
    const streamed = streamText({
      model: provider("anthropic:claude-sonnet-4-5"),
      prompt: "Hi",
      maxRetries: 0,
    });
    assert.equal(await streamed.text, ANTHROPIC_STREAMED_TEXT);
    assert.equal((await streamed.usage).outputTokens, 30); // the recorded stream's message_delta
  });

  test("fields a translated model cannot honour are refused with a 400 naming them", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { gateway: gw } = await gateway(anthropicEnv(server));
    const model = "anthropic:claude-sonnet-4-5";
    const refused = await postRaw(gw, "/v1/chat/completions", { model, messages: hi, n: 2, logprobs: true });
    assert.equal(refused.status, 400);
    const error = JSON.parse(refused.text).error;
    assert.match(error.message, /n, logprobs/);
    assert.equal(error.param, "n");
    const invalid = await postRaw(gw, "/v1/chat/completions", { model, messages: hi, temperature: "hot" });
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.text).error.param, "temperature");
    const badRole = await postRaw(gw, "/v1/chat/completions", {
      model,
      messages: [{ role: "user", content: 42 }],
    });
    assert.equal(JSON.parse(badRole.text).error.param, "messages[0].content");
    assert.equal(server.requests.length, 0);
  });

  test("embeddings through the provider layer, base64 as the openai client asks by default", async () => {
    const server = keep(await startCohereServer([{ fixture: "cohere/cohere-embedding" }]));
    const { client } = await gateway({
      COHERE_API_KEY: "cohere-test-key-123456",
      COHERE_BASE_URL: `${server.url}/v2`,
    });
    const result = await client().embeddings.create({
      model: "cohere:embed-english-v3.0",
      input: ["sunny day at the beach", "rainy day in the city"],
    });
    assert.equal(result.data.length, 2);
    assert.ok(Math.abs(result.data[0]!.embedding[0]! - 0.03302002) < 1e-6);
  });
});

describe("errors, in the OpenAI error format", () => {
  test("upstream 401, 429 and 500 become OpenAI errors, without the provider key", async () => {
    const server = await openai([
      { status: 401, message: `Incorrect API key provided: ${OPENAI_KEY}` },
      { status: 429 },
      { status: 500 },
    ]);
    const { client } = await gateway(openaiEnv(server), { gateway: { maxRetries: 0 } });
    const call = () => client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi });
    const unauthorized = await call().catch((e: unknown) => e);
    assert.ok(unauthorized instanceof OpenAI.AuthenticationError);
    assert.doesNotMatch(JSON.stringify(unauthorized.error), new RegExp(OPENAI_KEY));
    assert.match(unauthorized.message, /OpenAI refused the credentials/);
    const limited = await call().catch((e: unknown) => e);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal((limited.error as { type: string }).type, "rate_limit_error");
    const failed = await call().catch((e: unknown) => e);
    assert.ok(failed instanceof OpenAI.InternalServerError);
    assert.equal((failed.error as { type: string }).type, "server_error");
  });

  test("invalid JSON, a missing model, an unknown model and a body too large", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(openaiEnv(server), { gateway: { bodyLimitBytes: 2048 } });
    const invalid = await postRaw(gw, "/v1/chat/completions", "{not json");
    assert.equal(invalid.status, 400);
    assert.deepEqual(Object.keys(JSON.parse(invalid.text).error), ["message", "type", "param", "code"]);
    assert.equal(JSON.parse(invalid.text).error.type, "invalid_request_error");
    const noModel = await postRaw(gw, "/v1/chat/completions", { messages: hi });
    assert.equal(JSON.parse(noModel.text).error.param, "model");
    const unknown = await postRaw(gw, "/v1/chat/completions", {
      model: "no-such-model-anywhere",
      messages: hi,
    });
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.text).error.code, "model_not_found");
    const large = await postRaw(gw, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: [{ role: "user", content: "x".repeat(5000) }],
    });
    assert.equal(large.status, 413);
    assert.equal(JSON.parse(large.text).error.code, "request_too_large");
    assert.equal(server.requests.length, 0);
  });
});

describe("reliability", () => {
  test("a 500 is retried and the retry's answer reaches the client", async () => {
    const server = await openai([{ status: 500 }, { fixture: "openai/chat/openai-text" }]);
    const { client } = await gateway(openaiEnv(server), { gateway: { maxRetries: 2 } });
    const completion = await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi });
    assert.equal(completion.choices[0]!.message.content, openAIAnswer);
    assert.equal(server.requests.length, 2);
  });

  test("a provider that refuses the connection is retried: it may be up by the next try", async () => {
    const url = await closedLoopbackUrl();
    const { gateway: gw } = await gateway(
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${url}/v1` },
      { gateway: { maxRetries: 2, retryBaseMs: 400 } },
    );
    const pending = postRaw(gw, "/v1/chat/completions", { model: "openai:gpt-4.1-nano", messages: hi });
    // The first try is refused; the provider comes up on that port before the retry.
    await new Promise((done) => setTimeout(done, 100));
    const upstream = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(openAIText.jsonText);
    });
    await new Promise<void>((done) => upstream.listen(Number(new URL(url).port), "127.0.0.1", done));
    try {
      const response = await pending;
      assert.equal(response.status, 200, response.text);
      assert.equal(JSON.parse(response.text).choices[0].message.content, openAIAnswer);
    } finally {
      upstream.closeAllConnections();
      await new Promise((done) => upstream.close(done));
    }
  });

  test("a failing model falls back to the configured next one before anything is sent", async () => {
    const failing = await openai([{ status: 503 }]);
    const backup = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const { gateway: gw } = await gateway(
      { ...openaiEnv(failing), ...anthropicEnv(backup) },
      { gateway: { maxRetries: 1, fallbacks: { "openai:gpt-4.1-nano": ["anthropic:claude-sonnet-4-5"] } } },
    );
    const response = await postRaw(gw, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-llmux-model"), "anthropic:claude-sonnet-4-5");
    assert.equal(JSON.parse(response.text).choices[0].message.content, ANTHROPIC_TEXT);
    assert.equal(failing.requests.length, 2);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_fallbacks_total\{from="openai:gpt-4.1-nano",to="anthropic:claude-sonnet-4-5"\} 1/,
    );
  });

  test("a stream that errors before its first byte falls back too, both ways", async () => {
    const brokenOpenAI = await openai([
      { chunks: [{ error: { message: "overloaded", type: "server_error" } }] },
    ]);
    const brokenAnthropic = await anthropic([
      { chunks: [{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }] },
    ]);
    const goodOpenAI = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { gateway: gw } = await gateway(
      {
        ...openaiEnv(brokenOpenAI),
        ...anthropicEnv(brokenAnthropic),
      },
      {
        endpoints: { good: { baseURL: `${goodOpenAI.url}/v1` } },
        gateway: {
          maxRetries: 0,
          fallbacks: { "openai:gpt-4.1-nano": ["anthropic:claude-sonnet-4-5", "good:gpt-4.1-nano"] },
        },
      },
    );
    const response = await postRaw(gw, "/v1/chat/completions", {
      model: "openai:gpt-4.1-nano",
      messages: hi,
      stream: true,
    });
    assert.equal(response.headers.get("x-llmux-model"), "good:gpt-4.1-nano");
    assert.equal(response.text, openAIFrames(openAIText.lines!.filter((l) => !isUsageOnly(l))));
    assert.equal(brokenOpenAI.requests.length, 1);
    assert.equal(brokenAnthropic.requests.length, 1);
  });

  test("an error after the first byte reaches the client as an error event", async () => {
    const server = await anthropic([
      {
        chunks: [
          ...anthropicLines.slice(0, anthropicLines.findIndex((l) => l.includes("text_delta")) + 1),
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        ],
      },
    ]);
    const { client } = await gateway(anthropicEnv(server));
    const stream = await client().chat.completions.create({
      model: "anthropic:claude-sonnet-4-5",
      messages: hi,
      stream: true,
    });
    let text = "";
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    assert.ok(failure instanceof OpenAI.APIError, String(failure));
    assert.match(failure.message, /Overloaded/);
    assert.ok(text.length > 0);
  });

  for (const kind of ["forwarded", "translated"] as const) {
    test(`a client that disconnects mid-stream aborts the upstream request (${kind})`, async () => {
      const server =
        kind === "forwarded"
          ? await openai([{ fixture: "openai/chat/openai-text", stallAfterEvents: 3 }])
          : await anthropic([{ fixture: "anthropic/anthropic-text", stallAfterEvents: 4 }]);
      const { client } = await gateway(kind === "forwarded" ? openaiEnv(server) : anthropicEnv(server));
      const controller = new AbortController();
      const stream = await client().chat.completions.create(
        {
          model: kind === "forwarded" ? "openai:gpt-4.1-nano" : "anthropic:claude-sonnet-4-5",
          messages: hi,
          stream: true,
        },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) break;
      }
      controller.abort();
      await server.whenClosedByClient();
      assert.equal(server.closedByClient, 1);
    });
  }
});

describe("models, health and metrics", () => {
  test("/v1/models lists configured providers' catalog models and aliases, not unconfigured ones", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const { client } = await gateway(openaiEnv(server), { aliases: { fast: "openai:gpt-4.1-nano" } });
    const ids = [];
    for await (const model of client().models.list()) ids.push(model.id);
    assert.ok(ids.includes("openai:gpt-4.1-nano"));
    assert.ok(ids.includes("fast"));
    assert.ok(!ids.some((id) => id.startsWith("anthropic:")));
    const one = await client().models.retrieve("openai:gpt-4.1-nano");
    assert.equal(one.owned_by, "openai");
  });

  test("/healthz answers, and /metrics counts requests, tokens, cost and errors by model", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }, { status: 400 }]);
    const { gateway: gw, client } = await gateway(openaiEnv(server));
    assert.deepEqual(await (await fetch(`${gw.url}/healthz`)).json(), { status: "ok" });
    await client().chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi });
    await client()
      .chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi })
      .catch(() => {});
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const labels = 'route="chat",dialect="openai",model="openai:gpt-4.1-nano",provider="openai"';
    assert.match(metrics, new RegExp(`llmux_gateway_requests_total\\{${labels},status="200"\\} 1`));
    assert.match(metrics, new RegExp(`llmux_gateway_requests_total\\{${labels},status="400"\\} 1`));
    assert.match(metrics, new RegExp(`llmux_gateway_tokens_total\\{${labels},type="input"\\} 16`));
    assert.match(metrics, new RegExp(`llmux_gateway_errors_total\\{${labels},kind="bad_request"\\} 1`));
    assert.match(metrics, new RegExp(`llmux_gateway_request_duration_seconds_count\\{${labels}\\} 2`));
    assert.match(metrics, /llmux_gateway_cost_usd_total\{[^}]*\} 0\.\d+/);
    assert.doesNotMatch(metrics, new RegExp(OPENAI_KEY));
  });
});

describe("gateway keys", () => {
  async function keyedGateway(options: Parameters<typeof createGatewayKey>[1][]) {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const home = makeTempDir("llmux-gateway-keys-");
    const db = openDatabase(join(home, "llmux.db"));
    const tokens = options.map((o) => createGatewayKey(db, o).token);
    db.close();
    const started = await gateway(openaiEnv(server), {}, { home });
    return { ...started, tokens, server };
  }

  test("with keys, a request without one or with a wrong one gets a 401; a valid one passes", async () => {
    const { client, tokens, gateway: gw, home } = await keyedGateway([{ name: "ci" }]);
    const missing = await client()
      .chat.completions.create({ model: "openai:gpt-4.1-nano", messages: hi })
      .catch((e: unknown) => e);
    assert.ok(missing instanceof OpenAI.AuthenticationError);
    const wrong = await client("llmux_wrong")
      .models.list()
      .catch((e: unknown) => e);
    assert.ok(wrong instanceof OpenAI.AuthenticationError);
    const ok = await client(tokens[0]).chat.completions.create({
      model: "openai:gpt-4.1-nano",
      messages: hi,
    });
    assert.equal(ok.choices[0]!.message.content, openAIAnswer);
    await gw.close();
    const rows = usageRows(home);
    assert.equal(rows.length, 1);
    assert.match(String(rows[0]!.gateway_key_id), /^key_/);
  });

  test("a key's model allowlist, requests per minute and budget are enforced", async () => {
    const { client, tokens } = await keyedGateway([
      { models: ["anthropic:*"] },
      { rpm: 1 },
      { budgetUsd: 0 },
    ]);
    const model = { model: "openai:gpt-4.1-nano", messages: hi };
    const refused = await client(tokens[0])
      .chat.completions.create(model)
      .catch((e: unknown) => e);
    assert.ok(refused instanceof OpenAI.PermissionDeniedError);
    assert.match(refused.message, /may not use openai:gpt-4.1-nano/);
    await client(tokens[1]).chat.completions.create(model);
    const limited = await client(tokens[1])
      .chat.completions.create(model)
      .catch((e: unknown) => e);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.match(limited.message, /1 requests per minute/);
    const broke = await client(tokens[2])
      .chat.completions.create(model)
      .catch((e: unknown) => e);
    assert.ok(broke instanceof OpenAI.RateLimitError);
    assert.match(broke.message, /Budget exhausted/);
  });

  test("keys are stored hashed: the token is nowhere in the database files", async () => {
    const { tokens, home, gateway: gw } = await keyedGateway([{ name: "secret" }]);
    await gw.close();
    const files = ["llmux.db", "llmux.db-wal"].map((f) => {
      try {
        return readFileSync(join(home, f)).toString("latin1");
      } catch {
        return "";
      }
    });
    const token = tokens[0]!;
    assert.ok(files.join("").includes("secret"), "the database holds the key's row");
    assert.ok(!files.some((text) => text.includes(token) || text.includes(token.slice(6))));
  });

  test("the gateway refuses to listen beyond loopback without keys", async () => {
    const failure = await startTestGateway({}, {}, { host: "0.0.0.0" }).catch((e: unknown) => e);
    assert.ok(isLlmuxError(failure));
    assert.equal(failure.kind, "config");
    assert.match(failure.message, /Refusing to listen on 0\.0\.0\.0 without gateway keys/);
  });
});
