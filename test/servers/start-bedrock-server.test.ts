import assert from "node:assert/strict";
import { test } from "node:test";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { APICallError, generateText, streamText, tool } from "ai";
import { z } from "zod";
import { readFixture } from "./read-fixture.ts";
import { startBedrockServer } from "./start-bedrock-server.ts";
import type { ResponseSpec } from "./start-provider-server.ts";

interface ConverseResponse {
  output: { message: { content: Array<{ text?: string }> } };
  usage: { inputTokens: number; outputTokens: number };
}
interface StreamEvent {
  contentBlockDelta?: { delta: { text?: string } };
  metadata?: { usage: { inputTokens: number; outputTokens: number } };
}

const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

async function serve(script: ResponseSpec[], t: { after(fn: () => Promise<void>): void }) {
  const server = await startBedrockServer(script);
  t.after(() => server.close());
  return server;
}

function bedrock(url: string) {
  return createAmazonBedrock({
    baseURL: url,
    region: "us-east-1",
    accessKeyId: "AKIDTEST",
    secretAccessKey: "test-secret",
  })(MODEL);
}

test("generateText gets the recorded Converse reply through /model/{id}/converse, SigV4-signed", async (t) => {
  const server = await serve([{ fixture: "amazon-bedrock/amazon-bedrock-text" }], t);
  const recorded = readFixture("amazon-bedrock/amazon-bedrock-text").json as ConverseResponse;
  const result = await generateText({ model: bedrock(server.url), prompt: "Count the r's" });
  assert.equal(result.text, recorded.output.message.content[0]?.text);
  assert.equal(result.usage.inputTokens, recorded.usage.inputTokens);
  assert.equal(result.usage.outputTokens, recorded.usage.outputTokens);
  assert.equal(result.finishReason, "stop");
  const [req] = server.requests;
  assert.equal(req?.path, `/model/${encodeURIComponent(MODEL)}/converse`);
  assert.match(
    req?.headers.authorization ?? "",
    /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\//,
  );
});

test("streamText decodes the recorded events from the binary event-stream of /converse-stream", async (t) => {
  const server = await serve([{ fixture: "amazon-bedrock/amazon-bedrock-text" }], t);
  const events = readFixture("amazon-bedrock/amazon-bedrock-text").events as StreamEvent[];
  const result = streamText({ model: bedrock(server.url), prompt: "Count the r's" });
  assert.equal(await result.text, events.map((e) => e.contentBlockDelta?.delta.text ?? "").join(""));
  const usage = await result.usage;
  const recordedUsage = events.find((e) => e.metadata)?.metadata?.usage;
  assert.equal(usage.inputTokens, recordedUsage?.inputTokens);
  assert.equal(usage.outputTokens, recordedUsage?.outputTokens);
  assert.equal(server.requests[0]?.path, `/model/${encodeURIComponent(MODEL)}/converse-stream`);
});

test("toolUse blocks become tool calls, whole and streamed", async (t) => {
  const server = await serve([{ fixture: "amazon-bedrock/amazon-bedrock-tool-call.1" }], t);
  const tools = {
    bash: tool({ description: "Run a command", inputSchema: z.object({ command: z.string() }) }),
    "test-tool": tool({ description: "Name a holiday", inputSchema: z.object({ value: z.string() }) }),
  };
  const whole = await generateText({ model: bedrock(server.url), prompt: "List files", tools });
  assert.deepEqual(
    whole.toolCalls.map((c) => [c.toolName, c.input]),
    [["bash", { command: "ls -l" }]],
  );
  assert.equal(whole.finishReason, "tool-calls");
  const streamed = streamText({ model: bedrock(server.url), prompt: "Name a holiday", tools });
  assert.deepEqual(
    (await streamed.toolCalls).map((c) => [c.toolName, c.input]),
    [["test-tool", { value: "Sparkle Day" }]],
  );
});

test("a 429 surfaces as an APICallError with Bedrock's message and error type header", async (t) => {
  const server = await serve(
    [{ status: 429, message: "Too many requests, please wait before trying again." }],
    t,
  );
  await assert.rejects(generateText({ model: bedrock(server.url), prompt: "Hi", maxRetries: 0 }), (err) => {
    assert.ok(APICallError.isInstance(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.message, "Too many requests, please wait before trying again.");
    assert.match(err.responseHeaders?.["x-amzn-errortype"] ?? "", /^ThrottlingException:/);
    return true;
  });
});
