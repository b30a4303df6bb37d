import assert from "node:assert/strict";
import { test } from "node:test";
import { createMetrics, METRIC_LABEL_LIMITS } from "./create-metrics.ts";

test("renders counters and histograms by route, dialect, model and provider in Prometheus text", () => {
  const metrics = createMetrics();
  const base = { route: "chat", dialect: "openai", model: 'odd"name', provider: "openai" };
  metrics.observe({
    ...base,
    status: 200,
    durationMs: 30,
    timeToFirstTokenMs: 4,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
  });
  metrics.observe({ ...base, status: 500, durationMs: 2000, errorKind: "provider_error" });
  const text = metrics.render();
  const labels = 'route="chat",dialect="openai",model="odd\\"name",provider="openai"';
  assert.ok(text.includes(`llmux_gateway_requests_total{${labels},status="200"} 1`));
  assert.ok(text.includes(`llmux_gateway_requests_total{${labels},status="500"} 1`));
  assert.ok(text.includes(`llmux_gateway_request_duration_seconds_bucket{${labels},le="0.05"} 1`));
  assert.ok(text.includes(`llmux_gateway_request_duration_seconds_bucket{${labels},le="+Inf"} 2`));
  assert.ok(text.includes(`llmux_gateway_time_to_first_token_seconds_count{${labels}} 1`));
  assert.ok(text.includes(`llmux_gateway_tokens_total{${labels},type="output"} 5`));
  assert.ok(text.includes(`llmux_gateway_cost_usd_total{${labels}} 0.001`));
  assert.ok(text.includes(`llmux_gateway_errors_total{${labels},kind="provider_error"} 1`));
  assert.match(text, /# TYPE llmux_gateway_request_duration_seconds histogram/);
});

test("a label keeps at most its limit of distinct values; the rest are counted as other", () => {
  const metrics = createMetrics();
  const limit = METRIC_LABEL_LIMITS.model;
  for (let i = 0; i < limit + 3000; i++) {
    metrics.observe({
      route: "chat",
      dialect: "openai",
      model: `openai:invented-${i}`,
      provider: "openai",
      status: 404,
      durationMs: 1,
    });
  }
  // A model seen before the limit keeps its own series.
  metrics.observe({
    route: "chat",
    dialect: "openai",
    model: "openai:invented-0",
    provider: "openai",
    status: 200,
    durationMs: 1,
  });
  const text = metrics.render();
  const requests = text.split("\n").filter((line) => line.startsWith("llmux_gateway_requests_total{"));
  assert.equal(requests.length, limit + 2); // limit models at 404, "other" at 404, invented-0 at 200
  assert.ok(text.includes('model="openai:invented-0",provider="openai",status="200"} 1'));
  assert.ok(text.includes(`model="other",provider="openai",status="404"} 3000`));
  assert.ok(!text.includes(`openai:invented-${limit}"`));
  assert.ok(text.length < 1_000_000, `render is ${text.length} bytes`);
});
