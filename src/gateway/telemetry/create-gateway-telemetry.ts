import { type Attributes, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { redactSecrets } from "../../core/redact-secrets.ts";
import type { RequestRecord } from "../v1/record-request.ts";
import type { GatewayTelemetry } from "./gateway-telemetry.ts";
import { genAiProviderName } from "./gen-ai-provider-name.ts";
import { parseTraceparent } from "./parse-traceparent.ts";
import type { TelemetrySettings } from "./telemetry-settings.ts";
import { type ExportOutcome, watchExports } from "./watch-exports.ts";

// Bucket boundaries the semantic conventions advise for these histograms.
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** performance.now() as epoch milliseconds, the time spans take. */
const epoch = (at: number) => performance.timeOrigin + at;

/**
 * OpenTelemetry traces and metrics over OTLP/HTTP (JSON), from what the gateway records of each
 * finished request: spans are built after the fact with their real start and end times, so a
 * request pays nothing while it runs. Follows the GenAI semantic conventions (gen_ai.provider.name,
 * gen_ai.usage.*, gen_ai.client.* metrics). The prompt is exported only with captureMessageContent.
 */
export function createGatewayTelemetry(
  settings: TelemetrySettings,
  log: (line: string) => void,
): GatewayTelemetry {
  // One line when an export URL starts failing, none while it stays down (the SDK drops the data),
  // and none when another URL of the same collector already said so: traces and metrics sent to
  // one collector that is down fail together.
  const failing = new Set<string>();
  const report = (url: string) => {
    const { origin } = new URL(url);
    return (result: ExportOutcome) => {
      if (result.code === 0) {
        failing.delete(url);
        return;
      }
      if (failing.has(url)) return;
      const told = [...failing].some((other) => new URL(other).origin === origin);
      failing.add(url);
      if (told) return;
      const why = result.error?.message ?? "no reason given";
      log(
        redactSecrets(
          `OpenTelemetry export to ${origin} failed (${why}): what is sent there is dropped until the collector answers`,
        ),
      );
    };
  };
  const { tracesUrl, metricsUrl, headers } = settings;
  const resource = resourceFromAttributes({ "service.name": settings.serviceName });
  // A signal not exported gets a provider with nothing behind it: its spans and records go nowhere.
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: tracesUrl
      ? [
          new BatchSpanProcessor({
            exporter: watchExports(new OTLPTraceExporter({ url: tracesUrl, headers }), report(tracesUrl)),
          }),
        ]
      : [],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: metricsUrl
      ? [
          new PeriodicExportingMetricReader({
            exporter: watchExports(new OTLPMetricExporter({ url: metricsUrl, headers }), report(metricsUrl)),
            exportIntervalMillis: settings.metricsIntervalMs,
            exportTimeoutMillis: Math.min(30_000, settings.metricsIntervalMs),
          }),
        ]
      : [],
  });
  const tracer = tracerProvider.getTracer("llmux-gateway");
  const meter = meterProvider.getMeter("llmux-gateway");
  const operationDuration = meter.createHistogram("gen_ai.client.operation.duration", {
    description: "Duration of each upstream model call",
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const tokenUsage = meter.createHistogram("gen_ai.client.token.usage", {
    description: "Tokens used per request, by gen_ai.token.type",
    unit: "{token}",
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });
  const requestDuration = meter.createHistogram("http.server.request.duration", {
    description: "Duration of gateway model requests",
    unit: "s",
    advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
  });
  return {
    recordRequest(record) {
      const end = performance.now();
      const { request: req, json } = record;
      const operation = operationName(record.route);
      const path = req.url?.split("?")[0] ?? "";
      const parent = parseTraceparent(req.headers.traceparent);
      const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      const requestParameters = parameters(operation, json);
      const { resolved, usage } = record;
      const provider = resolved && genAiProviderName(resolved.provider);
      const failed = record.outcome === "error";
      // A model answered (or the cache did, with no call): not when the last call failed.
      const answered = resolved !== undefined && record.attempts.at(-1)?.errorKind === undefined;

      const httpAttributes: Attributes = {
        "http.request.method": req.method,
        "http.route": path,
        "http.response.status_code": record.status,
        ...(record.errorKind !== null && { "error.type": record.errorKind }),
      };
      const span = tracer.startSpan(
        `${req.method} ${path}`,
        {
          kind: SpanKind.SERVER,
          startTime: epoch(record.started),
          attributes: {
            ...httpAttributes,
            ...requestParameters,
            "gen_ai.request.model": record.name,
            "gen_ai.request.stream": record.stream,
            "llmux.dialect": record.dialect,
            ...(resolved && {
              "gen_ai.provider.name": provider,
              "llmux.model.reference": resolved.reference,
            }),
            ...(answered && { "gen_ai.response.model": resolved.modelId }),
            ...usageAttributes(usage),
            ...finishAttributes(record.finishReason),
            ...(record.stream &&
              record.firstByteAt > 0 && {
                "gen_ai.response.time_to_first_chunk": (record.firstByteAt - record.started) / 1000,
              }),
          },
        },
        parentContext,
      );
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorKind ?? undefined });
      const inside = trace.setSpan(parentContext, span);
      const prompt = settings.captureMessageContent ? promptAttributes(json) : undefined;
      const last = record.attempts.length - 1;
      record.attempts.forEach((attempt, index) => {
        const { modelId, provider: tried, reference } = attempt.resolved;
        // The request's usage is the answering call's: the last one, when it did not fail.
        const answering = index === last && attempt.errorKind === undefined;
        const attributes: Attributes = {
          "gen_ai.operation.name": operation,
          "gen_ai.provider.name": genAiProviderName(tried),
          "gen_ai.request.model": modelId,
          ...(attempt.errorKind !== undefined && { "error.type": attempt.errorKind }),
          ...(answering && { "gen_ai.response.model": modelId }),
        };
        const child = tracer.startSpan(
          `${operation} ${modelId}`,
          {
            kind: SpanKind.CLIENT,
            startTime: epoch(attempt.startedAt),
            attributes: {
              ...attributes,
              ...requestParameters,
              "llmux.model.reference": reference,
              ...(answering && usageAttributes(usage)),
              ...(answering && finishAttributes(record.finishReason)),
              ...prompt,
            },
          },
          inside,
        );
        if (attempt.errorKind !== undefined)
          child.setStatus({ code: SpanStatusCode.ERROR, message: attempt.errorKind });
        child.end(epoch(attempt.endedAt));
        operationDuration.record((attempt.endedAt - attempt.startedAt) / 1000, attributes);
      });
      span.end(epoch(end));

      requestDuration.record((end - record.started) / 1000, httpAttributes);
      if (resolved && usage) {
        const attributes = {
          "gen_ai.operation.name": operation,
          "gen_ai.provider.name": provider,
          "gen_ai.request.model": record.name,
          "gen_ai.response.model": resolved.modelId,
        };
        if (usage.inputTokens !== undefined)
          tokenUsage.record(usage.inputTokens, { ...attributes, "gen_ai.token.type": "input" });
        if (usage.outputTokens !== undefined)
          tokenUsage.record(usage.outputTokens, { ...attributes, "gen_ai.token.type": "output" });
      }
    },

    async close() {
      // A last export that fails was reported like any other: closing goes on.
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** gen_ai.operation.name for a route's metrics label ("chat", "messages", "ollama_embed"...). */
function operationName(route: string): string {
  if (route.includes("embed")) return "embeddings";
  if (route === "ollama_generate") return "text_completion";
  return "chat";
}

/** The request's sampling parameters the conventions name, where the client set them. */
function parameters(operation: string, json: Record<string, unknown>): Attributes {
  const attributes: Attributes = { "gen_ai.operation.name": operation };
  const options = (typeof json.options === "object" && json.options) || {}; // Ollama's
  const maxTokens =
    json.max_tokens ??
    json.max_completion_tokens ??
    json.max_output_tokens ??
    (options as { num_predict?: unknown }).num_predict;
  const temperature = json.temperature ?? (options as { temperature?: unknown }).temperature;
  const topP = json.top_p ?? (options as { top_p?: unknown }).top_p;
  if (typeof maxTokens === "number") attributes["gen_ai.request.max_tokens"] = maxTokens;
  if (typeof temperature === "number") attributes["gen_ai.request.temperature"] = temperature;
  if (typeof topP === "number") attributes["gen_ai.request.top_p"] = topP;
  return attributes;
}

function usageAttributes(usage: RequestRecord["usage"]): Attributes {
  if (usage === undefined) return {};
  return { "gen_ai.usage.input_tokens": usage.inputTokens, "gen_ai.usage.output_tokens": usage.outputTokens };
}

/** Why the answer ended, in the provider's word ("stop", "end_turn", "length"). */
function finishAttributes(reason: string | undefined): Attributes {
  return reason === undefined ? {} : { "gen_ai.response.finish_reasons": [reason] };
}

/**
 * The prompt as the client sent it, in its own dialect's JSON (chat messages, Anthropic's system
 * and messages, Responses' instructions and input, Ollama's prompt), for captureMessageContent.
 */
function promptAttributes(json: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  const input = json.messages ?? json.input ?? json.prompt;
  const system = json.system ?? json.instructions;
  if (input !== undefined) attributes["gen_ai.input.messages"] = JSON.stringify(input);
  if (system !== undefined) attributes["gen_ai.system_instructions"] = JSON.stringify(system);
  return attributes;
}
