import { LlmuxError } from "../../core/errors.ts";
import { headerSecrets } from "../../core/header-secrets.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { registerSecrets } from "../../core/redact-secrets.ts";

export interface TelemetrySettings {
  /** Where spans are sent (OTLP/HTTP); undefined when traces are not exported. */
  tracesUrl: string | undefined;
  /** Where metrics are sent; undefined when metrics are not exported. */
  metricsUrl: string | undefined;
  headers: Record<string, string>;
  serviceName: string;
  captureMessageContent: boolean;
  metricsIntervalMs: number;
}

/**
 * The gateway's telemetry settings, or undefined when it is off: no collector named for either
 * signal, or OTEL_SDK_DISABLED=true. A signal goes to its own OTEL_EXPORTER_OTLP_{TRACES,METRICS}_ENDPOINT
 * (the full URL), else to /v1/traces or /v1/metrics under the base URL in OTEL_EXPORTER_OTLP_ENDPOINT
 * or the config file's `telemetry.otlpEndpoint`; OTEL_{TRACES,METRICS}_EXPORTER=none turns one off.
 * Unlike the spec's default (localhost:4318), a signal no setting names is not exported: telemetry
 * is opt-in. The standard OTEL_* variables win over the config file, as the spec says.
 */
export function telemetrySettings(config: LlmuxConfig): TelemetrySettings | undefined {
  const { env } = config;
  const file = config.file.telemetry;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? checkUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, "OTEL_EXPORTER_OTLP_ENDPOINT")
    : file.otlpEndpoint && checkUrl(file.otlpEndpoint, "telemetry.otlpEndpoint");
  const signalUrl = (signal: "traces" | "metrics"): string | undefined => {
    const upper = signal.toUpperCase();
    if (env[`OTEL_${upper}_EXPORTER`]?.trim().toLowerCase() === "none") return undefined;
    const own = env[`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`];
    if (own) return checkUrl(own, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
    return base ? `${base.replace(/\/+$/, "")}/v1/${signal}` : undefined;
  };
  const tracesUrl = signalUrl("traces");
  const metricsUrl = signalUrl("metrics");
  if (!tracesUrl && !metricsUrl) return undefined;
  const fromEnv = parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS);
  // Header values are credentials (an API key, "Bearer <token>"): never shown in a message (the
  // config file's are registered with the rest of its secrets by loadConfig).
  registerSecrets(Object.values(fromEnv).flatMap(headerSecrets));
  const headers = { ...file.headers, ...fromEnv };
  const capture = env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase();
  return {
    tracesUrl,
    metricsUrl,
    headers,
    serviceName: env.OTEL_SERVICE_NAME || file.serviceName,
    captureMessageContent:
      capture === undefined || capture === "" ? file.captureMessageContent : capture === "true",
    metricsIntervalMs: file.metricsIntervalMs,
  };
}

function checkUrl(url: string, setting: string): string {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new LlmuxError("config", `${setting} is not an http(s) URL: ${url}`, {
      hint: "Set it to the collector's OTLP/HTTP address, such as http://collector:4318",
    });
  }
  return url;
}

/** OTEL_EXPORTER_OTLP_HEADERS: "name=value,name2=value2", values URL-encoded. */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  // The message never shows the text: its values are credentials.
  const invalid = () =>
    new LlmuxError("config", "OTEL_EXPORTER_OTLP_HEADERS is not a list of name=value pairs", {
      hint: "Write it as name=value,name2=value2 (values URL-encoded)",
    });
  for (const pair of text?.split(",") ?? []) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    if (at < 0 || name === "") throw invalid();
    try {
      headers[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw invalid();
    }
  }
  return headers;
}
