// The gateway speaks Anthropic's Messages API, driven by the official @anthropic-ai/sdk: Anthropic
// upstreams get the client's bytes, other models (an OpenAI upstream, the in-process engine) a
// translation, and errors arrive as the SDK's own error classes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { localEngine } from "../src/local/local-engine.ts";
import type { NewGatewayKey } from "../src/store/gateway-keys.ts";
import {
  ANTHROPIC_KEY,
  anthropicEnv,
  gatewayTestServers,
  homeWithKeys,
  openaiEnv,
  postRaw,
  type TestGateway,
  usageRows,
} from "./gateway-support.ts";
import { type ResponseSpec, readFixture, recordedOpenAIStream } from "./servers/index.ts";

const servers = gatewayTestServers();
const { openai, anthropic } = servers;
after(() => localEngine.dispose());

async function gateway(
  env: Record<string, string>,
  config: Record<string, unknown> = {},
  keys: NewGatewayKey[] = [],
): Promise<TestGateway & { tokens: string[] }> {
  const { home, created } = homeWithKeys("llmux-anthropic-dialect-", keys);
  const started = await servers.gateway(env, config, { home });
  return { ...started, tokens: created.map(({ token }) => token) };
}
const sdk = (gw: TestGateway, apiKey = "no-key") =>
  new Anthropic({ baseURL: gw.gateway.url, apiKey, maxRetries: 0 });

/** The events of an SSE body: each `event:` name with its parsed `data:`. */
function sseEvents(text: string): { event: string; data: { type: string } & Record<string, unknown> }[] {
  assert.ok(text.endsWith("\n\n"), "every event ends with a blank line");
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((frame) => {
      const match = /^event: (\S+)\ndata: (.*)$/.exec(frame);
      assert.ok(match, `an SSE frame: ${frame}`);
      const data = JSON.parse(match[2]!) as { type: string };
      assert.equal(data.type, match[1], "the event field names the payload's type");
      return { event: match[1]!, data };
    });
}

/** The event types with each run of content_block_delta counted as one. */
const shape = (types: string[]) => types.filter((t, i) => t !== "content_block_delta" || types[i - 1] !== t);

const openAIText = readFixture("openai/chat/openai-text");
const OPENAI_ANSWER = (openAIText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
const OPENAI_STREAMED = recordedOpenAIStream("openai/chat/openai-text");
const anthropicText = readFixture("anthropic/anthropic-text");
const ANTHROPIC_STREAM = anthropicText
  .lines!.map((l) => `event: ${JSON.parse(l).type}\ndata: ${l}\n\n`)
  .join("");
const hi: Anthropic.MessageParam[] = [{ role: "user", content: "Hi" }];

// An OpenAI answer with two tool calls (inline: no recording has parallel calls).
const twoCalls = (stream: boolean): ResponseSpec => {
  const calls = [
    { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    { id: "call_2", type: "function", function: { name: "get_time", arguments: '{"zone":"CET"}' } },
  ];
  const usage = { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 };
  const head = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4.1-nano" };
  if (!stream) {
    return {
      json: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-4.1-nano",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, tool_calls: calls },
            finish_reason: "tool_calls",
          },
        ],
        usage,
      },
    };
  }
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...head,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  return {
    chunks: [
      chunk({ role: "assistant", content: null }),
      ...calls.flatMap((call, index) => [
        chunk({
          tool_calls: [
            { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(0, 5) } }] }),
        chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(5) } }] }),
      ]),
      chunk({}, "tool_calls"),
      { ...head, choices: [], usage },
    ],
  };
};
const weatherTools: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "The weather in a city",
    input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  {
    name: "get_time",
    description: "The time in a zone",
    input_schema: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
  },
];

describe("translated (an OpenAI upstream)", () => {
  test("messages.create: the answer as an Anthropic message, the usage logged under dialect anthropic", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    // Sampling settings the SDK's types have dropped (newer models refuse them); the API takes them.
    const sampling = { temperature: 0.5, top_p: 0.9 } as object;
    const message = await sdk(gw).messages.create({
      model: "openai:gpt-4.1-nano",
      max_tokens: 500,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: hi,
      stop_sequences: ["END"],
      metadata: { user_id: "someone" },
      ...sampling,
    });
    assert.equal(message.type, "message");
    assert.equal(message.role, "assistant");
    assert.match(message.id, /^msg_/);
    assert.equal(message.model, "openai:gpt-4.1-nano");
    assert.deepEqual(message.content, [{ type: "text", text: OPENAI_ANSWER }]);
    assert.equal(message.stop_reason, "end_turn");
    assert.equal(message.usage.input_tokens, 16);
    assert.equal(message.usage.output_tokens, 363);

    const sent = server.requests[0]!.json!;
    assert.equal(sent.model, "gpt-4.1-nano");
    assert.deepEqual(sent.messages, [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
    assert.equal(sent.max_tokens, 500);
    assert.equal(sent.temperature, 0.5);
    assert.equal(sent.top_p, 0.9);
    assert.deepEqual(sent.stop, ["END"]);

    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /route="messages",dialect="anthropic",model="openai:gpt-4.1-nano",provider="openai"/,
    );
    await gw.gateway.close();
    const [row] = usageRows(gw.home);
    assert.equal(row!.provider, "openai");
    assert.equal(row!.outcome, "ok");
    assert.equal(row!.input_tokens, 16);
    assert.equal(row!.output_tokens, 363);
  });

  test("messages.stream: Anthropic's event sequence, SSE framing, and finalMessage()", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const raw = await postRaw(
      gw.gateway,
      "/v1/messages",
      { model: "openai:gpt-4.1-nano", max_tokens: 500, messages: hi, stream: true },
      { "anthropic-version": "2023-06-01" },
    );
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("content-type"), "text/event-stream");
    const events = sseEvents(raw.text);
    assert.deepEqual(shape(events.map((e) => e.event)), [
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = events.map((e) => (e.data.delta as { text?: string } | undefined)?.text ?? "").join("");
    assert.equal(text, OPENAI_STREAMED.text);
    const delta = events.find((e) => e.event === "message_delta")!.data;
    assert.deepEqual(delta.delta, { stop_reason: "end_turn", stop_sequence: null });
    assert.deepEqual(delta.usage, {
      input_tokens: OPENAI_STREAMED.usage.prompt_tokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: OPENAI_STREAMED.usage.completion_tokens,
    });

    const stream = sdk(gw).messages.stream({ model: "openai:gpt-4.1-nano", max_tokens: 500, messages: hi });
    const seen: string[] = [];
    for await (const event of stream) seen.push(event.type);
    assert.equal(seen[0], "message_start");
    assert.equal(seen.at(-1), "message_stop");
    const final = await stream.finalMessage();
    assert.deepEqual(final.content, [{ type: "text", text: OPENAI_STREAMED.text }]);
    assert.equal(final.stop_reason, "end_turn");
    assert.equal(final.usage.output_tokens, OPENAI_STREAMED.usage.completion_tokens);
    // message_start cannot know the prompt's count yet; message_delta brings it, and the SDK takes it.
    assert.equal(final.usage.input_tokens, OPENAI_STREAMED.usage.prompt_tokens);
  });

  test("tools: two tool_use blocks in one answer, streamed and not, with their inputs", async () => {
    const server = await openai([twoCalls(false), twoCalls(true)]);
    const gw = await gateway(openaiEnv(server));
    const request = {
      model: "openai:gpt-4.1-nano",
      max_tokens: 200,
      messages: hi,
      tools: weatherTools,
      tool_choice: { type: "any" as const },
    };
    const message = await sdk(gw).messages.create(request);
    assert.equal(message.stop_reason, "tool_use");
    assert.deepEqual(message.content, [
      { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_2", name: "get_time", input: { zone: "CET" } },
    ]);
    const sent = server.requests[0]!.json!;
    assert.equal(sent.tool_choice, "required");
    assert.deepEqual(
      (sent.tools as { function: { name: string; parameters: unknown } }[]).map((t) => t.function.name),
      ["get_weather", "get_time"],
    );

    const final = await sdk(gw).messages.stream(request).finalMessage();
    assert.equal(final.stop_reason, "tool_use");
    assert.deepEqual(
      final.content.map((b) => (b.type === "tool_use" ? [b.id, b.name, b.input] : b.type)),
      [
        ["call_1", "get_weather", { city: "Paris" }],
        ["call_2", "get_time", { zone: "CET" }],
      ],
    );
  });

  test("tool_result round trip: results (one an error, one long) reach the upstream as tool messages", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const long = "line of output\n".repeat(20_000);
    await sdk(gw).messages.create({
      model: "openai:gpt-4.1-nano",
      max_tokens: 200,
      tools: weatherTools,
      tool_choice: { type: "tool", name: "get_time" },
      messages: [
        { role: "user", content: "Weather and time?" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Looking." },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "toolu_2", name: "get_time", input: { zone: "CET" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "city not found", is_error: true },
            { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: long }] },
            { type: "text", text: "Go on." },
          ],
        },
      ],
    });
    const sent = server.requests[0]!.json! as { messages: Record<string, unknown>[]; tool_choice: unknown };
    assert.deepEqual(sent.tool_choice, { type: "function", function: { name: "get_time" } });
    assert.deepEqual(
      sent.messages.map((m) => m.role),
      ["user", "assistant", "tool", "tool", "user"],
    );
    const assistant = sent.messages[1] as {
      content: string;
      tool_calls: { id: string; function: { arguments: string } }[];
    };
    assert.equal(assistant.content, "Looking.");
    assert.deepEqual(
      assistant.tool_calls.map((c) => [c.id, JSON.parse(c.function.arguments)]),
      [
        ["toolu_1", { city: "Paris" }],
        ["toolu_2", { zone: "CET" }],
      ],
    );
    assert.equal(sent.messages[2]!.tool_call_id, "toolu_1");
    assert.match(String(sent.messages[2]!.content), /city not found/);
    assert.equal(sent.messages[3]!.content, long);
    assert.equal(sent.messages[4]!.content, "Go on.");
  });

  test("a tool_result for no earlier tool_use is Anthropic's 400, before any model is called", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const error = await sdk(gw)
      .messages.create({
        model: "openai:gpt-4.1-nano",
        max_tokens: 20,
        messages: [
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_x", content: "?" }] },
        ],
      })
      .catch((e: unknown) => e);
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.match(
      error.message,
      /messages\.0\.content\.0\.tool_use_id: no earlier assistant message has a tool_use block/,
    );
    assert.equal(server.requests.length, 0);
  });

  test("images (base64 and URL), JSON output, Anthropic's own tools ignored and named", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const raw = await postRaw(gw.gateway, "/v1/messages", {
      model: "openai:gpt-4.1-nano",
      max_tokens: 50,
      output_config: { format: { type: "json_schema", schema } },
      tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }, weatherTools[0]],
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
            { type: "text", text: "Name them" },
          ],
        },
      ],
    });
    assert.equal(raw.status, 200, raw.text);
    assert.equal(raw.headers.get("x-llmux-ignored"), "tools.web_search");
    const sent = server.requests[0]!.json! as Record<string, unknown> & { messages: { content: unknown }[] };
    assert.deepEqual(sent.messages[0]!.content, [
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
      { type: "text", text: "Name them" },
    ]);
    assert.deepEqual(
      (sent.response_format as { json_schema: { schema: unknown } }).json_schema.schema,
      schema,
    );
    assert.deepEqual(
      (sent.tools as { function: { name: string } }[]).map((t) => t.function.name),
      ["get_weather"],
    );
  });

  test("what would change the answer is Anthropic's 400 naming the field: MCP servers, unknown fields", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    for (const [field, message] of [
      ["mcp_servers", /^mcp_servers: only Anthropic's own models can use it/],
      ["n", /^n: Extra inputs are not permitted/],
    ] as const) {
      const raw = await postRaw(gw.gateway, "/v1/messages", {
        model: "openai:gpt-4.1-nano",
        max_tokens: 50,
        messages: hi,
        [field]: [{ type: "url", url: "https://mcp.example.com", name: "x" }],
      });
      assert.equal(raw.status, 400);
      const body = JSON.parse(raw.text) as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, "error");
      assert.equal(body.error.type, "invalid_request_error");
      assert.match(body.error.message, message);
    }
    assert.equal(server.requests.length, 0);
  });

  test("countTokens: OpenAI's encoding over the prompt and tools", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const small = await sdk(gw).messages.countTokens({ model: "openai:gpt-4.1-nano", messages: hi });
    const more = await sdk(gw).messages.countTokens({
      model: "openai:gpt-4.1-nano",
      system: "You are a weather bot that answers in one line.",
      messages: hi,
      tools: weatherTools,
    });
    assert.ok(small.input_tokens >= 1 && small.input_tokens < 5, String(small.input_tokens));
    assert.ok(more.input_tokens > small.input_tokens + 30, String(more.input_tokens));
    assert.equal(server.requests.length, 0);
  });
});

describe("passthrough (an Anthropic upstream)", () => {
  test("non-streamed: the upstream's bytes; the gateway's key, the client's version and betas, never its auth", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const gw = await gateway(anthropicEnv(server));
    const response = await postRaw(
      gw.gateway,
      "/v1/messages?beta=true",
      { model: "anthropic:claude-sonnet-4-5", max_tokens: 100, messages: hi },
      {
        "x-api-key": "client-secret-key",
        authorization: "Bearer client-token",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "context-management-2025-06-27",
      },
    );
    assert.equal(response.status, 200);
    assert.equal(response.text, anthropicText.jsonText);
    // The loopback upstream sends it chunked; the client gets one body with its length.
    assert.equal(response.headers.get("content-length"), String(Buffer.byteLength(response.text)));
    assert.equal(response.headers.get("x-llmux-model"), "anthropic:claude-sonnet-4-5");
    assert.equal(response.headers.get("x-llmux-ignored"), null);
    const sent = server.requests[0]!;
    assert.equal(sent.pathname, "/v1/messages");
    assert.equal(sent.json!.model, "claude-sonnet-4-5");
    assert.equal(sent.headers["x-api-key"], ANTHROPIC_KEY);
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.headers["anthropic-version"], "2023-06-01");
    assert.equal(sent.headers["anthropic-beta"], "context-management-2025-06-27");
    await gw.gateway.close();
    const [row] = usageRows(gw.home);
    assert.equal(row!.provider, "anthropic");
    assert.equal(row!.outcome, "ok");
    const usage = (anthropicText.json as { usage: { input_tokens: number; output_tokens: number } }).usage;
    assert.equal(row!.input_tokens, usage.input_tokens);
    assert.equal(row!.output_tokens, usage.output_tokens);
  });

  test("streamed: the recorded events as they are, finalMessage() read by the SDK, usage from message_delta", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const gw = await gateway(anthropicEnv(server));
    const raw = await postRaw(gw.gateway, "/v1/messages", {
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 100,
      messages: hi,
      stream: true,
    });
    assert.equal(raw.text, ANTHROPIC_STREAM);
    const final = await sdk(gw)
      .messages.stream({ model: "anthropic:claude-sonnet-4-5", max_tokens: 100, messages: hi })
      .finalMessage();
    assert.equal(final.stop_reason, "end_turn");
    assert.match((final.content[0] as Anthropic.TextBlock).text, /^Hello!/);
    await gw.gateway.close();
    const rows = usageRows(gw.home);
    const last = JSON.parse(anthropicText.lines!.findLast((l) => l.includes("message_delta"))!);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.output_tokens, last.usage.output_tokens);
      assert.equal(row.estimated, 0);
    }
  });

  test("thinking and tool_use blocks pass through untouched", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-clear-thinking.1" }]);
    const gw = await gateway(anthropicEnv(server));
    const raw = await postRaw(gw.gateway, "/v1/messages", {
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 2000,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: hi,
      stream: true,
    });
    const recorded = readFixture("anthropic/anthropic-clear-thinking.1").lines!;
    assert.ok(recorded.some((l) => l.includes("signature_delta")));
    assert.equal(raw.text, recorded.map((l) => `event: ${JSON.parse(l).type}\ndata: ${l}\n\n`).join(""));
    assert.deepEqual(server.requests[0]!.json!.thinking, { type: "enabled", budget_tokens: 1024 });
  });

  test("Anthropic's refusals reach the client in its shape; an overloaded upstream is retried first", async () => {
    const server = await anthropic([
      { status: 529, message: "Overloaded" },
      { status: 400, message: "messages.0.content: Field required" },
    ]);
    const gw = await gateway(anthropicEnv(server));
    const error = await sdk(gw)
      .messages.create({ model: "anthropic:claude-sonnet-4-5", max_tokens: 100, messages: hi })
      .catch((e: unknown) => e);
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.match(error.message, /messages\.0\.content: Field required/);
    assert.equal(server.requests.length, 2);
    assert.doesNotMatch(error.message, new RegExp(ANTHROPIC_KEY));
  });

  test("countTokens is Anthropic's own count", async () => {
    const server = await anthropic([{ json: { input_tokens: 1234 } }]);
    const gw = await gateway(anthropicEnv(server));
    const count = await sdk(gw).messages.countTokens({ model: "anthropic:claude-sonnet-4-5", messages: hi });
    assert.deepEqual(count, { input_tokens: 1234 });
    assert.equal(server.requests[0]!.pathname, "/v1/messages/count_tokens");
    assert.equal(server.requests[0]!.json!.model, "claude-sonnet-4-5");
  });

  test("an upstream failure mid-stream ends the stream with Anthropic's error event", async () => {
    const lines = anthropicText.lines!;
    const server = await anthropic([
      {
        chunks: [
          ...lines.slice(0, 4).map((l) => JSON.parse(l)),
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        ],
      },
    ]);
    const gw = await gateway(anthropicEnv(server));
    const raw = await postRaw(gw.gateway, "/v1/messages", {
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 100,
      messages: hi,
      stream: true,
    });
    const events = sseEvents(raw.text);
    assert.equal(events.at(-1)!.event, "error");
    const error = await sdk(gw)
      .messages.stream({ model: "anthropic:claude-sonnet-4-5", max_tokens: 100, messages: hi })
      .finalMessage()
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(error.message, /Overloaded/);
  });
});

describe("a stream that fails after it began", () => {
  for (const kind of ["passthrough", "translated"] as const) {
    test(`ends with Anthropic's error event, the row logged as an error with an estimate (${kind})`, async () => {
      const server =
        kind === "passthrough"
          ? await anthropic([{ fixture: "anthropic/anthropic-text", stallAfterEvents: 4 }])
          : await openai([{ fixture: "openai/chat/openai-text", stallAfterEvents: 3 }]);
      const gw = await gateway(kind === "passthrough" ? anthropicEnv(server) : openaiEnv(server), {
        gateway: { timeoutMs: 300 },
      });
      const model = kind === "passthrough" ? "anthropic:claude-sonnet-4-5" : "openai:gpt-4.1-nano";
      const raw = await postRaw(gw.gateway, "/v1/messages", {
        model,
        max_tokens: 100,
        messages: hi,
        stream: true,
      });
      assert.equal(raw.status, 200);
      const events = sseEvents(raw.text);
      assert.equal(events[0]!.event, "message_start");
      const last = events.at(-1)!;
      assert.equal(last.event, "error");
      assert.deepEqual(Object.keys(last.data), ["type", "error"]);
      assert.match((last.data.error as { message: string }).message, /300 ms/);
      await gw.gateway.close();
      const [row] = usageRows(gw.home);
      assert.equal(row!.outcome, "error");
      assert.equal(row!.estimated, 1);
    });
  }
});

describe("Claude Code's request, replayed", () => {
  const recorded = JSON.parse(
    readFileSync("../shared/client-requests/claude-code-2.1.328-messages.json", "utf8"),
  ) as { path: string; headers: Record<string, string>; body: Record<string, unknown> };
  const headers = Object.fromEntries(
    Object.entries(recorded.headers).filter(([name]) => !["connection", "accept-encoding"].includes(name)),
  );

  test("translated: accepted; what only Anthropic honours is named in x-llmux-ignored", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const raw = await postRaw(gw.gateway, recorded.path, recorded.body, headers);
    assert.equal(raw.status, 200, raw.text);
    assert.equal(
      raw.headers.get("x-llmux-ignored"),
      "context_management, anthropic-beta, thinking, output_config",
    );
    assert.equal(sseEvents(raw.text).at(-1)!.event, "message_stop");
    const sent = server.requests[0]!.json! as { messages: { role: string }[]; tools: unknown[] };
    assert.deepEqual(
      sent.messages.map((m) => m.role),
      ["system", "user", "system"],
    );
    assert.equal(sent.tools.length, 12);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_ignored_fields_total\{dialect="anthropic",field="context_management"\} 1/,
    );
  });

  test("passthrough: forwarded as sent but for the model name, betas included", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const gw = await gateway(anthropicEnv(server));
    const body = { ...recorded.body, model: "anthropic:claude-sonnet-4-5" };
    const raw = await postRaw(gw.gateway, recorded.path, body, headers);
    assert.equal(raw.status, 200, raw.text);
    assert.equal(raw.text, ANTHROPIC_STREAM);
    const sent = server.requests[0]!;
    assert.deepEqual(sent.json, { ...recorded.body, model: "claude-sonnet-4-5" });
    assert.equal(sent.headers["anthropic-beta"], recorded.headers["anthropic-beta"]);
  });
});

describe("the in-process engine", () => {
  test("local: stories260K answers messages.create and messages.stream", async () => {
    const gw = await gateway(
      {},
      { aliases: { tiny: "local:../shared/models/stories260K.gguf" }, local: { threads: 1 } },
    );
    const message = await sdk(gw).messages.create({
      model: "tiny",
      max_tokens: 8,
      messages: [{ role: "user", content: "Once upon a time" }],
    });
    assert.equal(message.content[0]!.type, "text");
    assert.ok((message.content[0] as Anthropic.TextBlock).text.length > 0);
    assert.ok(["end_turn", "max_tokens"].includes(message.stop_reason!));
    assert.ok(message.usage.output_tokens > 0);
    const final = await sdk(gw)
      .messages.stream({
        model: "tiny",
        max_tokens: 8,
        messages: [{ role: "user", content: "Once upon a time" }],
      })
      .finalMessage();
    assert.ok((final.content[0] as Anthropic.TextBlock).text.length > 0);
    assert.ok(final.usage.output_tokens > 0);
    // Counted with the model's own vocabulary.
    const short = await sdk(gw).messages.countTokens({
      model: "tiny",
      messages: [{ role: "user", content: "Once" }],
    });
    const long = await sdk(gw).messages.countTokens({
      model: "tiny",
      messages: [
        { role: "user", content: "Once upon a time there was a little girl who lived in a village." },
      ],
    });
    assert.ok(
      short.input_tokens > 0 && long.input_tokens > short.input_tokens + 5,
      `${short.input_tokens} ${long.input_tokens}`,
    );
  });
});

describe("errors in Anthropic's shape, as the SDK's own classes", () => {
  test("401 bad key, 404 unknown model, 400 invalid request, 429 requests per minute", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server), {}, [{ rpm: 3 }]);
    const [token] = gw.tokens;
    const fail = (promise: Promise<unknown>) =>
      promise.then(
        () => assert.fail("no error"),
        (e: unknown) => e,
      );

    const unauthorized = await fail(
      sdk(gw, "sk-wrong").messages.create({ model: "openai:gpt-4.1-nano", max_tokens: 5, messages: hi }),
    );
    assert.ok(unauthorized instanceof Anthropic.AuthenticationError, String(unauthorized));
    assert.equal((unauthorized.error as { type: string }).type, "error");

    const unknown = await fail(
      sdk(gw, token).messages.create({ model: "nope:nothing", max_tokens: 5, messages: hi }),
    );
    assert.ok(unknown instanceof Anthropic.NotFoundError, String(unknown));
    assert.deepEqual(Object.keys(unknown.error as object), ["type", "error"]);
    assert.equal((unknown.error as { error: { type: string } }).error.type, "not_found_error");

    const invalid = await fail(
      sdk(gw, token).messages.create({
        model: "openai:gpt-4.1-nano",
        messages: hi,
      } as unknown as Anthropic.MessageCreateParamsNonStreaming),
    );
    assert.ok(invalid instanceof Anthropic.BadRequestError, String(invalid));
    assert.match(invalid.message, /max_tokens/);

    // Claude Code's ANTHROPIC_AUTH_TOKEN: the key as a bearer token rather than x-api-key.
    const bearer = new Anthropic({ baseURL: gw.gateway.url, apiKey: null, authToken: token, maxRetries: 0 });
    const served = await bearer.messages.create({
      model: "openai:gpt-4.1-nano",
      max_tokens: 5,
      messages: hi,
    });
    assert.equal(served.type, "message");

    const limited = await fail(
      sdk(gw, token).messages.create({ model: "openai:gpt-4.1-nano", max_tokens: 5, messages: hi }),
    );
    assert.ok(limited instanceof Anthropic.RateLimitError, String(limited));
    assert.equal((limited.error as { error: { type: string } }).error.type, "rate_limit_error");
    assert.equal(server.requests.length, 1);
  });

  test("a key's budget holds the worst case before Anthropic is called: over it, a 429 in Anthropic's shape", async () => {
    const server = await anthropic([{ fixture: "anthropic/anthropic-text" }]);
    const gw = await gateway(anthropicEnv(server), {}, [{ budgetUsd: 0.01 }]);
    const client = sdk(gw, gw.tokens[0]);
    const small = await client.messages.create({
      model: "anthropic:claude-sonnet-4-5",
      max_tokens: 100,
      messages: hi,
    });
    assert.equal(small.type, "message");
    const large = await client.messages
      .create({ model: "anthropic:claude-sonnet-4-5", max_tokens: 20_000, messages: hi })
      .catch((e: unknown) => e);
    assert.ok(large instanceof Anthropic.RateLimitError, String(large));
    assert.match(large.message, /budget/i);
    assert.equal(server.requests.length, 1);
  });

  test("a body over the gateway's limit is Anthropic's 413 request_too_large", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server), { gateway: { bodyLimitBytes: 1000 } });
    const raw = await postRaw(gw.gateway, "/v1/messages", {
      model: "openai:gpt-4.1-nano",
      max_tokens: 5,
      messages: [{ role: "user", content: "x".repeat(2000) }],
    });
    assert.equal(raw.status, 413);
    assert.equal((JSON.parse(raw.text) as { error: { type: string } }).error.type, "request_too_large");
  });

  test("models.list in Anthropic's shape when asked with anthropic-version", async () => {
    const server = await openai([{ fixture: "openai/chat/openai-text" }]);
    const gw = await gateway(openaiEnv(server));
    const page = await sdk(gw).models.list();
    const ids = page.data.map((m) => m.id);
    assert.ok(ids.includes("openai:gpt-4.1-nano"), ids.join());
    const model = page.data.find((m) => m.id === "openai:gpt-4.1-nano")!;
    assert.equal(model.type, "model");
    assert.equal(typeof model.display_name, "string");
    assert.ok(!Number.isNaN(Date.parse(model.created_at)));
    const openaiShape = (await (await fetch(`${gw.gateway.url}/v1/models`)).json()) as { object: string };
    assert.equal(openaiShape.object, "list");
    const one = await sdk(gw).models.retrieve("openai:gpt-4.1-nano");
    assert.deepEqual({ ...one }, model);
    const missing = await sdk(gw)
      .models.retrieve("nope:nothing")
      .catch((e: unknown) => e);
    assert.ok(missing instanceof Anthropic.NotFoundError, String(missing));
  });
});
