import { LlmuxError } from "../../core/errors.ts";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { registerSecrets } from "../../core/redact-secrets.ts";

export interface TelemetrySettings {
  /** The collector's OTLP/HTTP base URL; traces go to /v1/traces and metrics to /v1/metrics under it. */
  endpoint: string;
  headers: Record<string, string>;
  serviceName: string;
  captureMessageContent: boolean;
  metricsIntervalMs: number;
}

/**
 * The gateway's telemetry settings, or undefined when it is off: no collector named in the config
 * file's `telemetry.otlpEndpoint` nor in OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_SDK_DISABLED=true.
 * The standard OTEL_* variables win over the config file, as the OpenTelemetry spec says.
 */
export function telemetrySettings(config: LlmuxConfig): TelemetrySettings | undefined {
  const { env } = config;
  const file = config.file.telemetry;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || file.otlpEndpoint;
  if (!endpoint) return undefined;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    const setting = env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? "OTEL_EXPORTER_OTLP_ENDPOINT"
      : "telemetry.otlpEndpoint";
    throw new LlmuxError("config", `${setting} is not an http(s) URL: ${endpoint}`, {
      hint: "Set it to the collector's OTLP/HTTP address, such as http://collector:4318",
    });
  }
  const headers = { ...file.headers, ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) };
  // Header values are credentials (an API key, "Bearer <token>"): never shown in a message.
  registerSecrets(Object.values(headers).flatMap((value) => [value, value.trim().split(/\s+/).at(-1)]));
  const capture = env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase();
  return {
    endpoint: endpoint.replace(/\/+$/, ""),
    headers,
    serviceName: env.OTEL_SERVICE_NAME || file.serviceName,
    captureMessageContent:
      capture === undefined || capture === "" ? file.captureMessageContent : capture === "true",
    metricsIntervalMs: file.metricsIntervalMs,
  };
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
