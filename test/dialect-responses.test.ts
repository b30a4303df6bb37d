// The gateway's OpenAI Responses API (/v1/responses), driven by the official `openai` client and
// by Codex CLI's recorded request: forwarded as bytes to an OpenAI upstream (scripted on the
// loopback OpenAI server: no recordings of the Responses API exist), translated for a chat
// completions upstream (Groq's recordings) and for the in-process engine with a tiny model.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, describe, test } from "node:test";
import OpenAI from "openai";
import { localEngine } from "../src/local/local-engine.ts";
import {
  ANTHROPIC_KEY,
  gatewayTestServers,
  homeWithKeys,
  OPENAI_KEY,
  openaiEnv,
  postRaw,
  usageRows,
} from "./gateway-support.ts";
import { type ProviderServer, readFixture, startAnthropicServer } from "./servers/index.ts";

const { keep, openai: upstream, gateway } = gatewayTestServers();
after(() => localEngine.dispose());

const GROQ = "groq:llama-3.3-70b-versatile";
const groqEnv = (server: ProviderServer) => ({
  GROQ_API_KEY: "gsk-test-key-123456",
  GROQ_BASE_URL: `${server.url}/openai/v1`,
});

const groqText = readFixture("groq/groq-text");
const groqAnswer = (groqText.json as { choices: { message: { content: string } }[] }).choices[0]!.message
  .content;
const groqUsage = (groqText.json as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
const groqStreamed = readFixture("groq/groq-text")
  .lines!.map((l) => JSON.parse(l) as { choices: { delta: { content?: string | null } }[] })
  .map((c) => c.choices[0]?.delta.content ?? "")
  .join("");

type Message = { role: string; content: unknown; tool_calls?: { id: string; function: { name: string } }[] };
const messagesSent = (server: ProviderServer, index: number) =>
  server.requests[index]!.json!.messages as Message[];

/** Server-sent events as (event name, parsed data) pairs. */
function parseEvents(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
      return { event, data };
    });
}

describe("translated for a chat completions upstream (Groq)", () => {
  test("responses.create: output_text, a resp_ id, usage, and the instructions and input as the prompt", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { client } = await gateway(groqEnv(server));
    const response = await client().responses.create({
      model: GROQ,
      instructions: "Be inventive",
      input: "Invent a holiday",
      max_output_tokens: 400,
      temperature: 0.5,
      metadata: { run: "1" },
    });
    assert.equal(response.output_text, groqAnswer);
    assert.match(response.id, /^resp_[0-9a-f]{48}$/);
    assert.equal(response.object, "response");
    assert.equal(response.status, "completed");
    assert.equal(response.model, GROQ);
    assert.deepEqual(response.metadata, { run: "1" });
    assert.equal(response.output.length, 1);
    assert.equal(response.output[0]!.type, "message");
    assert.deepEqual(response.usage, {
      input_tokens: groqUsage.prompt_tokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: groqUsage.completion_tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: groqUsage.prompt_tokens + groqUsage.completion_tokens,
    });
    const sent = server.requests[0]!;
    assert.equal(sent.pathname, "/openai/v1/chat/completions");
    assert.deepEqual(sent.json!.messages, [
      { role: "system", content: "Be inventive" },
      { role: "user", content: "Invent a holiday" },
    ]);
    assert.equal(sent.json!.max_tokens, 400);
    assert.equal(sent.json!.temperature, 0.5);
  });

  test("stream: true gives the documented events, numbered, ending with response.completed and its usage", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { client, gateway: gw } = await gateway(groqEnv(server));
    const stream = await client().responses.create({ model: GROQ, input: "Invent a holiday", stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 4), [
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    assert.deepEqual(types.slice(-4), [
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      events.map((_, i) => i),
    );
    const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
    assert.equal(deltas.join(""), groqStreamed);
    const done = events.find((e) => e.type === "response.output_text.done");
    assert.equal(done?.type === "response.output_text.done" && done.text, groqStreamed);
    const completed = events.at(-1);
    assert.ok(completed?.type === "response.completed");
    assert.equal(completed.response.status, "completed");
    assert.ok((completed.response.usage?.input_tokens ?? 0) > 0);
    assert.equal(completed.response.output.length, 1);

    // The raw stream names every event in an `event:` line, as OpenAI's does.
    const raw = await postRaw(gw, "/v1/responses", { model: GROQ, input: "Hi", stream: true });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("content-type"), "text/event-stream");
    for (const { event, data } of parseEvents(raw.text)) assert.equal(event, data.type);
  });

  test("client.responses.stream(...).finalResponse() gets the whole answer", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { client } = await gateway(groqEnv(server));
    const runner = client().responses.stream({ model: GROQ, input: "Invent a holiday" });
    let streamedText = "";
    runner.on("response.output_text.delta", (event) => {
      streamedText += event.delta;
    });
    const final = await runner.finalResponse();
    assert.equal(final.output_text, groqStreamed);
    assert.equal(streamedText, groqStreamed);
    assert.equal(final.status, "completed");
  });

  test("function tools: a function_call item, then its function_call_output sent back as the tool's result", async () => {
    const server = await upstream([{ fixture: "groq/groq-tool-call" }, { fixture: "groq/groq-text" }]);
    const { client } = await gateway(groqEnv(server));
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "weather",
        description: "Weather now",
        strict: true,
        parameters: { type: "object", properties: {}, additionalProperties: false },
      },
    ];
    const first = await client().responses.create({
      model: GROQ,
      input: "Weather?",
      tools,
      tool_choice: "auto",
      store: false,
    });
    const call = first.output.find((item) => item.type === "function_call");
    assert.ok(call?.type === "function_call");
    assert.equal(call.name, "weather");
    assert.equal(call.arguments, "{}");
    assert.match(call.id ?? "", /^fc_/);
    const sentTools = server.requests[0]!.json!.tools as { function: { name: string; strict?: boolean } }[];
    assert.deepEqual(
      sentTools.map((t) => t.function.name),
      ["weather"],
    );

    // As long as coding agents' tool results get (a file, a command's output).
    const longResult = `Sunny, 21 C\n${"| station | temperature | wind |\n".repeat(4000)}`;
    const second = await client().responses.create({
      model: GROQ,
      input: [
        { role: "user", content: "Weather?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: longResult },
      ],
      tools,
    });
    assert.equal(second.output_text, groqAnswer);
    const messages = messagesSent(server, 1);
    assert.deepEqual(
      messages.map((m) => m.role),
      ["user", "assistant", "tool"],
    );
    assert.equal(messages[1]!.tool_calls![0]!.id, call.call_id);
    assert.deepEqual(messages[2], { role: "tool", tool_call_id: call.call_id, content: longResult });
  });

  test("parallel calls come back as function_call items, streamed with their arguments; parallel_tool_calls: false keeps the first", async () => {
    const chunk = (delta: unknown, finish: string | null = null) => ({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "llama-3.3-70b-versatile",
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const calls = [
      chunk({ role: "assistant", content: null }),
      chunk({
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "read", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"a.txt"}' } }] }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: "call_b",
            type: "function",
            function: { name: "read", arguments: '{"path":"b.txt"}' },
          },
        ],
      }),
      { ...chunk({}, "tool_calls"), usage: { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50 } },
    ];
    const server = await upstream([{ chunks: calls }]);
    const { client } = await gateway(groqEnv(server));
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "read",
        strict: false,
        parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    ];
    const stream = await client().responses.create({
      model: GROQ,
      input: "Read a and b",
      tools,
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    const argumentDeltas = events.flatMap((e) =>
      e.type === "response.function_call_arguments.delta" ? [e.delta] : [],
    );
    assert.deepEqual(argumentDeltas, ['{"path":', '"a.txt"}', '{"path":"b.txt"}']);
    const completed = events.at(-1);
    assert.ok(completed?.type === "response.completed");
    const items = completed.response.output.map((item) =>
      item.type === "function_call" ? [item.call_id, item.name, item.arguments, item.status] : item.type,
    );
    assert.deepEqual(items, [
      ["call_a", "read", '{"path":"a.txt"}', "completed"],
      ["call_b", "read", '{"path":"b.txt"}', "completed"],
    ]);
    const doneItems = events.filter((e) => e.type === "response.output_item.done");
    assert.equal(doneItems.length, 2);

    const single = await client()
      .responses.stream({ model: GROQ, input: "Read a and b", tools, parallel_tool_calls: false })
      .finalResponse();
    assert.deepEqual(
      single.output.map((item) => item.type === "function_call" && item.call_id),
      ["call_a"],
    );
  });

  test("a model that reasons aloud: its reasoning comes first as a reasoning item, whole and streamed", async () => {
    const recorded = readFixture("groq/groq-reasoning");
    const message = (recorded.json as { choices: { message: { content: string; reasoning: string } }[] })
      .choices[0]!.message;
    const streamedReasoning = recorded
      .lines!.map((l) => JSON.parse(l) as { choices: { delta: { reasoning?: string } }[] })
      .map((c) => c.choices[0]?.delta.reasoning ?? "")
      .join("");
    const server = await upstream([{ fixture: "groq/groq-reasoning" }]);
    const { client } = await gateway(groqEnv(server));
    const model = "groq:qwen/qwen3-32b";
    const whole = await client().responses.create({ model, input: "How many r in strawberry?" });
    assert.deepEqual(
      whole.output.map((item) => item.type),
      ["reasoning", "message"],
    );
    const reasoning = whole.output[0]!;
    assert.ok(reasoning.type === "reasoning");
    assert.deepEqual(reasoning.content, [{ type: "reasoning_text", text: message.reasoning }]);
    assert.equal(whole.output_text, message.content);

    const stream = await client().responses.create({
      model,
      input: "How many r in strawberry?",
      stream: true,
    });
    let thought = "";
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.reasoning_text.delta") thought += event.delta;
      if (event.type === "response.completed") final = event.response;
    }
    assert.equal(thought, streamedReasoning);
    assert.deepEqual(
      final?.output.map((item) => item.type),
      ["reasoning", "message"],
    );
    // Sent back, as clients that keep no state do, the reasoning is left out of the prompt.
    await client().responses.create({
      model,
      input: [...whole.output, { role: "user", content: "And in raspberry?" }] as never,
    });
    assert.deepEqual(
      messagesSent(server, 2).map((m) => m.role),
      ["assistant", "user"],
    );
  });

  test("text.format json_schema reaches the upstream as its structured output request", async () => {
    const server = await upstream([
      {
        json: {
          ...(groqText.json as object),
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: '{"name":"Luminaria"}' },
              finish_reason: "stop",
            },
          ],
        },
      },
    ]);
    const { client } = await gateway(groqEnv(server));
    const response = await client().responses.create({
      model: GROQ,
      input: "Name a holiday",
      text: {
        format: {
          type: "json_schema",
          name: "holiday",
          strict: true,
          schema: {
            type: "object",
            properties: { name: { type: "string" } },
            required: ["name"],
            additionalProperties: false,
          },
        },
      },
    });
    assert.deepEqual(JSON.parse(response.output_text), { name: "Luminaria" });
    const format = server.requests[0]!.json!.response_format as {
      type: string;
      json_schema: { name: string; schema: unknown };
    };
    assert.equal(format.type, "json_schema");
    assert.equal(format.json_schema.name, "holiday");
    assert.deepEqual(format.json_schema.schema, {
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
      additionalProperties: false,
    });
  });

  test("previous_response_id continues the stored conversation; retrieve and delete serve it", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { client } = await gateway(groqEnv(server));
    const first = await client().responses.create({
      model: GROQ,
      instructions: "First rules",
      input: "Invent a holiday",
    });
    const second = await client().responses.create({
      model: GROQ,
      previous_response_id: first.id,
      input: "Another one",
      stream: true,
    });
    let secondId = "";
    for await (const event of second) if (event.type === "response.completed") secondId = event.response.id;
    // The first exchange, without its instructions (they do not carry over), then the new input.
    assert.deepEqual(messagesSent(server, 1), [
      { role: "user", content: "Invent a holiday" },
      { role: "assistant", content: groqAnswer },
      { role: "user", content: "Another one" },
    ]);
    const third = await client().responses.create({
      model: GROQ,
      previous_response_id: secondId,
      input: "And a third",
    });
    assert.deepEqual(
      messagesSent(server, 2).map((m) => [m.role, m.content]),
      [
        ["user", "Invent a holiday"],
        ["assistant", groqAnswer],
        ["user", "Another one"],
        ["assistant", groqStreamed],
        ["user", "And a third"],
      ],
    );
    assert.equal(third.previous_response_id, secondId);

    const retrieved = await client().responses.retrieve(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.output_text, groqAnswer);
    assert.deepEqual(retrieved.usage, first.usage);
    assert.deepEqual((await client().responses.delete(first.id)) as unknown, {
      id: first.id,
      object: "response",
      deleted: true,
    });
    await assert.rejects(client().responses.retrieve(first.id), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.message, `404 Response with id '${first.id}' not found.`);
      assert.equal(error.type, "invalid_request_error");
      return true;
    });
    // Each stored response holds its whole conversation: the third goes on without the first.
    await client().responses.create({ model: GROQ, previous_response_id: third.id, input: "A fourth" });
    assert.equal(messagesSent(server, 3).length, 7);
  });

  test("store: false keeps nothing", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { client } = await gateway(groqEnv(server));
    const response = await client().responses.create({ model: GROQ, input: "Hi", store: false });
    assert.equal((response as unknown as { store: boolean }).store, false);
    await assert.rejects(client().responses.retrieve(response.id), OpenAI.NotFoundError);
    await assert.rejects(
      client().responses.create({ model: GROQ, input: "Again", previous_response_id: response.id }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.code, "previous_response_not_found");
        assert.equal(error.param, "previous_response_id");
        return true;
      },
    );
    assert.equal(server.requests.length, 1);
  });

  test("Codex CLI's request is accepted and streamed; what only OpenAI can act on is named as ignored", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const { gateway: gw } = await gateway(groqEnv(server));
    const recorded = JSON.parse(
      readFileSync("../shared/client-requests/codex-cli-0.169.0-responses.json", "utf8"),
    ) as {
      headers: Record<string, string>;
      body: Record<string, unknown> & { tools: { type: string; name?: string }[] };
    };
    const response = await postRaw(gw, "/v1/responses", { ...recorded.body, model: GROQ }, recorded.headers);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.equal(
      response.headers.get("x-llmux-ignored"),
      "reasoning, include, prompt_cache_key, client_metadata, tools.namespace, tools.web_search",
    );
    const events = parseEvents(response.text);
    assert.equal(events[0]!.event, "response.created");
    assert.equal(events.at(-1)!.event, "response.completed");
    // The function tools reach the model; the developer messages are its system messages.
    const sent = server.requests[0]!.json!;
    const functions = recorded.body.tools.filter((t) => t.type === "function").map((t) => t.name);
    assert.deepEqual(
      (sent.tools as { function: { name: string } }[]).map((t) => t.function.name),
      functions,
    );
    assert.deepEqual(
      (sent.messages as Message[]).map((m) => m.role),
      ["system", "system", "user", "user"],
    );

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(
      metrics,
      /llmux_gateway_ignored_fields_total\{dialect="responses",field="client_metadata"\} 1/,
    );
    assert.match(
      metrics,
      /llmux_gateway_ignored_fields_total\{dialect="responses",field="tools.web_search"\} 1/,
    );
    assert.match(
      metrics,
      /llmux_gateway_requests_total\{route="responses",dialect="responses",model="groq:llama-3.3-70b-versatile",provider="groq",status="200"\} 1/,
    );
  });
});

describe("translated for Anthropic, its answers read from the bytes", () => {
  const anthropicLines = readFixture("anthropic/anthropic-text").lines!;
  const streamedText = anthropicLines
    .map((l) => JSON.parse(l) as { delta?: { text?: string } })
    .map((e) => e.delta?.text ?? "")
    .join("");
  const wholeText = (readFixture("anthropic/anthropic-text").json as { content: { text: string }[] })
    .content[0]!.text;

  test("whole and streamed, with the usage Anthropic reported; a failure mid-stream ends it with response.failed", async () => {
    const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    const server = keep(
      await startAnthropicServer([
        { fixture: "anthropic/anthropic-text" },
        { fixture: "anthropic/anthropic-text" },
        { chunks: [...anthropicLines.slice(0, 4), overloaded] },
      ]),
    );
    const {
      client,
      home,
      gateway: gw,
    } = await gateway({
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: `${server.url}/v1`,
    });
    const model = "anthropic:claude-sonnet-4-5";
    const whole = await client().responses.create({ model, instructions: "Be kind", input: "Hi" });
    assert.equal(whole.output_text, wholeText);
    assert.equal(whole.usage?.input_tokens, 12);
    const sent = server.requests[0]!.json!;
    assert.deepEqual(sent.system, [{ type: "text", text: "Be kind" }]);
    assert.deepEqual(sent.messages, [{ role: "user", content: [{ type: "text", text: "Hi" }] }]);

    const streamed = await client().responses.stream({ model, input: "Hi" }).finalResponse();
    assert.equal(streamed.output_text, streamedText);
    assert.equal(streamed.status, "completed");

    const raw = await postRaw(gw, "/v1/responses", { model, input: "Hi", stream: true });
    const events = parseEvents(raw.text);
    assert.equal(events[0]!.event, "response.created");
    const failed = events.at(-1)!;
    assert.equal(failed.event, "response.failed");
    const failure = failed.data.response as { status: string; error: { code: string; message: string } };
    assert.equal(failure.status, "failed");
    assert.match(failure.error.message, /Overloaded/);
    assert.deepEqual(
      events.map((e) => e.data.sequence_number),
      events.map((_, i) => i),
    );
    await gw.close();
    assert.deepEqual(
      usageRows(home).map((r) => [r.provider, r.outcome, r.input_tokens, r.estimated]),
      [
        ["anthropic", "ok", 12, 0],
        ["anthropic", "ok", 12, 0],
        // Cut short before Anthropic said its usage: the prompt as counted before the request.
        ["anthropic", "error", 19, 1],
      ],
    );
  });
  test("Codex CLI's request reaches Anthropic with its function tools and developer messages as the system prompt", async () => {
    const server = keep(await startAnthropicServer([{ fixture: "anthropic/anthropic-text" }]));
    const { gateway: gw } = await gateway({
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: `${server.url}/v1`,
    });
    const recorded = JSON.parse(
      readFileSync("../shared/client-requests/codex-cli-0.169.0-responses.json", "utf8"),
    ) as {
      headers: Record<string, string>;
      body: Record<string, unknown> & {
        tools: { type: string; name?: string }[];
        input: { role: string; content: { text: string }[] }[];
      };
    };
    const response = await postRaw(
      gw,
      "/v1/responses",
      { ...recorded.body, model: "anthropic:claude-sonnet-4-5" },
      recorded.headers,
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get("x-llmux-ignored") ?? "", /tools\.namespace, tools\.web_search/);
    assert.equal(parseEvents(response.text).at(-1)!.event, "response.completed");
    const sent = server.requests[0]!.json as {
      system: { text: string }[];
      messages: { role: string }[];
      tools: { name: string; input_schema: unknown }[];
      stream: boolean;
    };
    assert.equal(sent.stream, true);
    assert.deepEqual(
      sent.tools.map((t) => t.name),
      recorded.body.tools.filter((t) => t.type === "function").map((t) => t.name),
    );
    const developer = recorded.body.input.filter((m) => m.role === "developer");
    assert.deepEqual(
      sent.system.map((b) => b.text),
      developer.map((m) => m.content.map((p) => p.text).join("")),
    );
    assert.deepEqual(
      sent.messages.map((m) => m.role),
      ["user"],
    );
  });
});

describe("forwarded to OpenAI's own /responses", () => {
  const answer = {
    id: "resp_upstream_1",
    object: "response",
    created_at: 1770000000,
    status: "completed",
    model: "gpt-4.1-mini-2025-04-14",
    output: [
      {
        id: "msg_1",
        type: "message",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: "Hello from OpenAI", annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 11,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    },
  };
  const inProgress = { ...answer, status: "in_progress", output: [], usage: null };
  const events = [
    { type: "response.created", sequence_number: 0, response: inProgress },
    { type: "response.in_progress", sequence_number: 1, response: inProgress },
    {
      type: "response.output_item.added",
      sequence_number: 2,
      output_index: 0,
      item: { ...answer.output[0], status: "in_progress", content: [] },
    },
    {
      type: "response.content_part.added",
      sequence_number: 3,
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    },
    {
      type: "response.output_text.delta",
      sequence_number: 4,
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: "Hello from OpenAI",
      logprobs: [],
    },
    {
      type: "response.output_text.done",
      sequence_number: 5,
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      text: "Hello from OpenAI",
      logprobs: [],
    },
    {
      type: "response.content_part.done",
      sequence_number: 6,
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      part: answer.output[0]!.content[0],
    },
    { type: "response.output_item.done", sequence_number: 7, output_index: 0, item: answer.output[0] },
    { type: "response.completed", sequence_number: 8, response: answer },
  ];

  test("non-streaming: the upstream's bytes, the model name rewritten, the usage logged", async () => {
    const server = await upstream([{ json: answer }]);
    const { gateway: gw, home, client } = await gateway(openaiEnv(server));
    const raw = await postRaw(gw, "/v1/responses", {
      model: "openai:gpt-4.1-mini",
      input: "Hi",
      previous_response_id: "resp_upstream_0",
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.text, JSON.stringify(answer));
    assert.equal(raw.headers.get("content-length"), String(Buffer.byteLength(raw.text)));
    const sent = server.requests[0]!;
    assert.equal(sent.pathname, "/v1/responses");
    assert.equal(sent.headers.authorization, `Bearer ${OPENAI_KEY}`);
    // Everything else as the client sent it, previous_response_id included (the upstream's own).
    assert.deepEqual(sent.json, {
      model: "gpt-4.1-mini",
      input: "Hi",
      previous_response_id: "resp_upstream_0",
    });

    const response = await client().responses.create({ model: "gpt-4.1-mini", input: "Hi" });
    assert.equal(response.output_text, "Hello from OpenAI");
    assert.equal(server.requests[1]!.body, JSON.stringify({ model: "gpt-4.1-mini", input: "Hi" }));
    await gw.close();
    const rows = usageRows(home);
    assert.equal(rows.length, 2);
    assert.deepEqual(
      rows.map((r) => [r.provider, r.model, r.input_tokens, r.output_tokens, r.outcome]),
      [
        ["openai", "gpt-4.1-mini", 11, 4, "ok"],
        ["openai", "gpt-4.1-mini", 11, 4, "ok"],
      ],
    );
    assert.ok((rows[0]!.cost_usd as number) > 0);
  });

  test("streaming: the upstream's events byte for byte; usage read from response.completed", async () => {
    const server = await upstream([{ chunks: events }]);
    const { gateway: gw, home, client } = await gateway(openaiEnv(server));
    const raw = await postRaw(gw, "/v1/responses", { model: "gpt-4.1-mini", input: "Hi", stream: true });
    assert.equal(raw.status, 200);
    assert.equal(raw.text, events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
    const final = await client().responses.stream({ model: "gpt-4.1-mini", input: "Hi" }).finalResponse();
    assert.equal(final.output_text, "Hello from OpenAI");
    await gw.close();
    assert.deepEqual(
      usageRows(home).map((r) => [r.input_tokens, r.output_tokens, r.outcome]),
      [
        [11, 4, "ok"],
        [11, 4, "ok"],
      ],
    );
  });
  test("a recorded Responses stream (xAI's, the same API) reaches the client byte for byte, usage and cached tokens logged", async () => {
    const recorded = readFixture("xai/responses/xai-text-streaming.1");
    const server = await upstream([{ fixture: "xai/responses/xai-text-streaming.1" }]);
    const { gateway: gw, home } = await gateway(openaiEnv(server));
    const raw = await postRaw(gw, "/v1/responses", {
      model: "openai:gpt-4.1-mini",
      input: "Hi",
      stream: true,
    });
    assert.equal(
      raw.text,
      recorded.lines!.map((l) => `event: ${JSON.parse(l).type}\ndata: ${l}\n\n`).join(""),
    );
    await gw.close();
    const [row] = usageRows(home);
    assert.deepEqual([row!.input_tokens, row!.output_tokens, row!.outcome], [216, 863, "ok"]);
  });
});

describe("errors, in OpenAI's shape", () => {
  test("401 without a key, 404 for an unknown model, 400 for what cannot be honoured, 404 for an unknown response id", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const {
      home,
      created: [{ token: alice }, { token: bob }],
    } = homeWithKeys("llmux-responses-keys-", [{ name: "alice" }, { name: "bob" }]);
    const { client } = await gateway(groqEnv(server), {}, { home });

    await assert.rejects(
      client("wrong").responses.create({ model: GROQ, input: "Hi" }),
      OpenAI.AuthenticationError,
    );
    await assert.rejects(
      client(alice).responses.create({ model: "nosuchprovider:x", input: "Hi" }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError);
        assert.equal(error.code, "model_not_found");
        return true;
      },
    );
    await assert.rejects(
      client(alice).responses.create({ model: GROQ, input: "Hi", background: true, conversation: "conv_1" }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.code, "unsupported_parameter");
        assert.equal(error.param, "background");
        assert.match(error.message, /background, conversation/);
        return true;
      },
    );
    await assert.rejects(
      client(alice).responses.create({
        model: GROQ,
        input: "Hi",
        tools: [{ type: "web_search" }],
        tool_choice: "required",
      }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "tool_choice",
    );
    await assert.rejects(
      client(alice).responses.create({
        model: GROQ,
        input: [{ type: "function_call_output", call_id: "call_x", output: "42" }],
      }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "input[0].call_id",
    );
    await assert.rejects(client(alice).responses.retrieve("resp_nothing"), OpenAI.NotFoundError);
    await assert.rejects(client(alice).responses.delete("resp_nothing"), OpenAI.NotFoundError);
    assert.equal(server.requests.length, 0);

    // A stored response is its key's: another key's ids read as unknown.
    const mine = await client(alice).responses.create({ model: GROQ, input: "Hi" });
    assert.equal((await client(alice).responses.retrieve(mine.id)).id, mine.id);
    await assert.rejects(client(bob).responses.retrieve(mine.id), OpenAI.NotFoundError);
    await assert.rejects(client(bob).responses.delete(mine.id), OpenAI.NotFoundError);
    await assert.rejects(
      client(bob).responses.create({ model: GROQ, input: "Hi", previous_response_id: mine.id }),
      OpenAI.BadRequestError,
    );
    assert.equal((await client(alice).responses.retrieve(mine.id)).id, mine.id);
  });
  test("a key's allowlist and budget apply: 403 for another model, 429 insufficient_quota for a worst case past the budget", async () => {
    const server = await upstream([{ fixture: "groq/groq-text" }]);
    const {
      home,
      created: [{ token }],
    } = homeWithKeys("llmux-responses-limits-", [{ models: [GROQ], budgetUsd: 0.0005 }]);
    const prices = { [GROQ]: { inputPerMTok: 0.59, outputPerMTok: 0.79 } };
    const { client, gateway: gw } = await gateway(groqEnv(server), { prices }, { home });
    await assert.rejects(
      client(token).responses.create({ model: "anthropic:claude-sonnet-4-5", input: "Hi" }),
      OpenAI.PermissionDeniedError,
    );
    await assert.rejects(
      client(token).responses.create({ model: GROQ, input: "Hi", max_output_tokens: 100_000 }),
      (error: unknown) => error instanceof OpenAI.RateLimitError && error.code === "insufficient_quota",
    );
    assert.equal(server.requests.length, 0);
    const answered = await client(token).responses.create({
      model: GROQ,
      input: "Hi",
      max_output_tokens: 100,
    });
    assert.equal(answered.output_text, groqAnswer);
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    assert.match(
      metrics,
      /llmux_gateway_requests_total\{route="responses",dialect="responses",model="unknown",provider="unknown",status="403"\} 1/,
    );
    assert.match(
      metrics,
      /llmux_gateway_requests_total\{route="responses",dialect="responses",model="unknown",provider="unknown",status="429"\} 1/,
    );
  });
});

describe("the in-process engine", () => {
  test("stories260K answers responses.create, streamed and not", async () => {
    const tiny = `local:${resolve("../shared/models/stories260K.gguf")}`;
    const { client } = await gateway({}, { aliases: { tiny }, local: { threads: 1 } });
    const whole = await client().responses.create({
      model: "tiny",
      input: "Once upon a time",
      max_output_tokens: 12,
    });
    assert.ok(whole.output_text.length > 0);
    assert.ok((whole.usage?.output_tokens ?? 0) > 0 && (whole.usage?.output_tokens ?? 0) <= 12);
    assert.equal(whole.model, tiny);
    const streamed = await client()
      .responses.stream({ model: "tiny", input: "Once upon a time", max_output_tokens: 12 })
      .finalResponse();
    assert.ok(streamed.output_text.length > 0);
    assert.ok(streamed.status === "completed" || streamed.status === "incomplete");
  });
});
