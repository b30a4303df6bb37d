// Budgets through the real gateway: the official `openai` client on loopback, a loopback OpenAI
// server replaying recorded answers, the usage log in SQLite. A budgeted request holds its
// worst-case cost before it starts and is charged its real cost when it ends.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import OpenAI from "openai";
import { type NewGatewayKey, readGatewayKeySpend } from "../src/store/gateway-keys.ts";
import { openDatabase } from "../src/store/open-database.ts";
import {
  anthropicEnv,
  gatewayTestServers,
  homeWithKeys,
  openaiEnv,
  type TestGateway,
  usageRows,
} from "./gateway-support.ts";
import type { ProviderServer, ResponseSpec } from "./servers/index.ts";

const servers = gatewayTestServers();

const hi = [{ role: "user" as const, content: "Hi" }];

// openai:gpt-4.1 costs $2 / $8 per million input / output tokens. The recorded answer reports 16
// prompt and 363 completion tokens: $0.002936. With max_tokens 400 a request holds about $0.00325,
// so three fit in $0.01 at once, and what three really cost leaves too little for a fourth.
const MODEL = "openai:gpt-4.1";
const MAX_TOKENS = 400;
const ANSWER_COST = (16 * 2 + 363 * 8) / 1e6;

interface Setup {
  started: TestGateway;
  server: ProviderServer;
  token: string;
  keyId: string;
  home: string;
}

async function setup(
  script: ResponseSpec[],
  key: NewGatewayKey,
  config: (server: ProviderServer) => Record<string, unknown> = () => ({}),
): Promise<Setup> {
  const server = await servers.openai(script);
  const {
    home,
    created: [{ key: created, token }],
  } = homeWithKeys("llmux-budgets-", [key]);
  const started = await servers.gateway(openaiEnv(server), config(server), { home });
  return { started, server, token, keyId: created.id, home };
}

/** What the usage log says the key spent, once the gateway has written its last rows. */
async function spentAfterClose({ started, home, keyId }: Setup): Promise<number> {
  await started.gateway.close();
  const db = openDatabase(join(home, "llmux.db"));
  try {
    return readGatewayKeySpend(db).get(keyId) ?? 0;
  } finally {
    db.close();
  }
}

describe("budgets: reserve, then settle", () => {
  test("30 concurrent requests on a $0.01 key spend at most $0.01; the refused get the budget error", async () => {
    const setupDone = await setup([{ fixture: "openai/chat/openai-text" }], { budgetUsd: 0.01 });
    const client = setupDone.started.client(setupDone.token);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        client.chat.completions.create({ model: MODEL, messages: hi, max_tokens: MAX_TOKENS }),
      ),
    );
    const served = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected").map((r) => r.reason as unknown);
    assert.equal(served.length, 3, "three fit the budget at once, and no fourth after them");
    for (const error of refused) {
      assert.ok(error instanceof OpenAI.RateLimitError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.code, "insufficient_quota");
      assert.match(error.message, /Budget exhausted/);
    }
    assert.equal(setupDone.server.requests.length, 3, "the refused never reached the provider");
    const spent = await spentAfterClose(setupDone);
    assert.ok(spent <= 0.01, `spent $${spent} of $0.01 (overspend $${Math.max(0, spent - 0.01)})`);
    assert.equal(Math.round(spent * 1e9), Math.round(3 * ANSWER_COST * 1e9));
  });

  test("a request whose worst case does not fit is refused before it starts, though the key has spent nothing", async () => {
    const setupDone = await setup([{ fixture: "openai/chat/openai-text" }], { budgetUsd: 0.01 });
    const error = await setupDone.started
      .client(setupDone.token)
      .chat.completions.create({ model: MODEL, messages: hi, max_tokens: 2000 })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(error.code, "insufficient_quota");
    assert.match(error.message, /could cost up to \$0\.016/);
    assert.equal(setupDone.server.requests.length, 0);
  });

  test("a failed request releases its hold: the next one fits", async () => {
    // Room for one hold ($0.00325) but not two.
    const setupDone = await setup(
      [{ status: 500 }, { fixture: "openai/chat/openai-text" }],
      { budgetUsd: 0.004 },
      () => ({ gateway: { maxRetries: 0 } }),
    );
    const client = setupDone.started.client(setupDone.token);
    const request = { model: MODEL, messages: hi, max_tokens: MAX_TOKENS };
    const failed = await client.chat.completions.create(request).catch((e: unknown) => e);
    assert.ok(failed instanceof OpenAI.APIError);
    assert.ok(failed.status !== undefined && failed.status >= 500);
    const answer = await client.chat.completions.create(request);
    assert.ok(answer.choices[0]!.message.content);
    const spent = await spentAfterClose(setupDone);
    assert.equal(Math.round(spent * 1e9), Math.round(ANSWER_COST * 1e9), "the failure cost nothing");
  });
});

describe("streams cut short are charged for what was used", () => {
  test("a stream the client aborts is charged an estimate, marked as one: prompt plus the events it got", async () => {
    const setupDone = await setup([{ fixture: "openai/chat/openai-text", stallAfterEvents: 40 }], {
      budgetUsd: 1,
    });
    const controller = new AbortController();
    const stream = await setupDone.started
      .client(setupDone.token)
      .chat.completions.create(
        { model: MODEL, messages: hi, stream: true, max_tokens: MAX_TOKENS },
        { signal: controller.signal },
      );
    let received = 0;
    for await (const _chunk of stream) {
      if (++received === 40) {
        controller.abort();
        break;
      }
    }
    await setupDone.server.whenClosedByClient();
    const spent = await spentAfterClose(setupDone);
    const rows = usageRows(setupDone.home);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.outcome, "aborted");
    assert.equal(row.estimated, 1);
    assert.equal(row.output_tokens, 40, "one token an event streamed");
    assert.ok(Number(row.input_tokens) >= 16, "the prompt, counted before the request, not below the truth");
    const expected = (Number(row.input_tokens) * 2 + 40 * 8) / 1e6;
    assert.equal(Math.round(Number(row.cost_usd) * 1e9), Math.round(expected * 1e9));
    assert.equal(Math.round(spent * 1e9), Math.round(expected * 1e9));
  });

  test("a stream the upstream cuts off is charged an estimate too", async () => {
    // The gateway's own timeout ends the stalled upstream after the client got 10 events.
    const setupDone = await setup(
      [{ fixture: "openai/chat/openai-text", stallAfterEvents: 10 }],
      { budgetUsd: 1 },
      () => ({ gateway: { timeoutMs: 1000 } }),
    );
    const { started } = setupDone;
    const stream = await started
      .client(setupDone.token)
      .chat.completions.create({ model: MODEL, messages: hi, stream: true, max_tokens: MAX_TOKENS });
    let received = 0;
    await assert.rejects(async () => {
      for await (const _chunk of stream) received++;
    });
    assert.equal(received, 10);
    const spent = await spentAfterClose(setupDone);
    const row = usageRows(setupDone.home)[0]!;
    assert.equal(row.outcome, "error");
    assert.equal(row.estimated, 1);
    assert.equal(row.output_tokens, 10);
    assert.ok(spent > 0);
    assert.equal(Math.round(spent * 1e9), Math.round(Number(row.cost_usd) * 1e9));
  });
});

test("a translated stream (Anthropic) the client aborts is charged an estimate too", async () => {
  const server = await servers.anthropic([{ fixture: "anthropic/anthropic-text", stallAfterEvents: 6 }]);
  const {
    home,
    created: [{ key, token }],
  } = homeWithKeys("llmux-budgets-", [{ budgetUsd: 1 }]);
  const started = await servers.gateway(anthropicEnv(server), {}, { home });
  const controller = new AbortController();
  const stream = await started
    .client(token)
    .chat.completions.create(
      { model: "anthropic:claude-haiku-4-5", messages: hi, stream: true, max_tokens: MAX_TOKENS },
      { signal: controller.signal },
    );
  let received = 0;
  // The upstream stalls after its sixth event: what came by then is all there is.
  let quiet: NodeJS.Timeout | undefined;
  const armed = () => {
    clearTimeout(quiet);
    quiet = setTimeout(() => controller.abort(), 300);
  };
  armed();
  try {
    for await (const _chunk of stream) {
      received++;
      armed();
    }
  } catch {
    // aborted
  }
  clearTimeout(quiet);
  assert.ok(received >= 1);
  await server.whenClosedByClient();
  const spent = await spentAfterClose({ started, server, token, keyId: key.id, home });
  const row = usageRows(home)[0]!;
  assert.equal(row.outcome, "aborted");
  assert.equal(row.estimated, 1);
  assert.equal(row.output_tokens, received, "one token an event streamed");
  const expected = (Number(row.input_tokens) * 1 + received * 5) / 1e6;
  assert.equal(Math.round(spent * 1e9), Math.round(expected * 1e9));
});

describe("no price, no budgeted access", () => {
  const endpoint = (server: ProviderServer, prices?: Record<string, unknown>) => ({
    endpoints: { vllm: { baseURL: `${server.url}/v1`, models: ["my-model"] } },
    ...(prices && { prices }),
  });

  test("a budgeted key cannot use a model without a price: a 400 naming it and the fix", async () => {
    const setupDone = await setup([{ fixture: "openai/chat/openai-text" }], { budgetUsd: 1 }, (server) =>
      endpoint(server),
    );
    const refused = await setupDone.started
      .client(setupDone.token)
      .chat.completions.create({ model: "vllm:my-model", messages: hi })
      .catch((e: unknown) => e);
    assert.ok(refused instanceof OpenAI.BadRequestError);
    assert.equal(refused.code, "model_price_unknown");
    assert.match(refused.message, /vllm:my-model has no known price/);
    assert.match(refused.message, /"prices"/);
    assert.equal(setupDone.server.requests.length, 0);
  });

  test("with a price in the config it is allowed, and charged at that price", async () => {
    const setupDone = await setup([{ fixture: "openai/chat/openai-text" }], { budgetUsd: 1 }, (server) =>
      endpoint(server, { "vllm:my-model": { inputPerMTok: 0.2, outputPerMTok: 0.6 } }),
    );
    const answer = await setupDone.started
      .client(setupDone.token)
      .chat.completions.create({ model: "vllm:my-model", messages: hi });
    assert.ok(answer.choices[0]!.message.content);
    const spent = await spentAfterClose(setupDone);
    assert.equal(Math.round(spent * 1e9), Math.round((16 * 0.2 + 363 * 0.6) * 1e3));
  });
});
