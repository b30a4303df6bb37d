import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { type ProviderServer, startAnthropicServer } from "../../../test/servers/index.ts";
import { createRequestCapture } from "./create-request-capture.ts";

const prompt: LanguageModelV3Prompt = [{ role: "user", content: [{ type: "text", text: "Hi" }] }];
const servers: ProviderServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

test("a captured call hands over the request the provider built and sends nothing; others go out", async () => {
  const server = await startAnthropicServer([{ fixture: "anthropic/anthropic-text" }]);
  servers.push(server);
  const capture = createRequestCapture();
  const model = createAnthropic({ apiKey: "sk-ant-test", baseURL: `${server.url}/v1`, fetch: capture.fetch })(
    "claude-sonnet-4-5",
  );

  const request = await capture.capture((abortSignal) => model.doStream({ prompt, abortSignal }));
  assert.equal(request.url, `${server.url}/v1/messages`);
  assert.equal(request.headers["x-api-key"], "sk-ant-test");
  const body = JSON.parse(request.body) as { stream: boolean; messages: unknown[] };
  assert.equal(body.stream, true);
  assert.deepEqual(body.messages, [{ role: "user", content: [{ type: "text", text: "Hi" }] }]);
  assert.equal(server.requests.length, 0);

  const answer = await model.doGenerate({ prompt });
  assert.equal(server.requests.length, 1);
  assert.ok(answer.content.some((part) => part.type === "text"));
});
