import type { RequestRecord } from "../v1/record-request.ts";

/** The gateway's OpenTelemetry traces and metrics, present only when turned on (openTelemetry). */
export interface GatewayTelemetry {
  /** One finished model request: its span, a child span per upstream call, and the metrics. */
  recordRequest(record: RequestRecord): void;
  /** Sends what is still queued (bounded by the exporter's timeout) and stops. */
  close(): Promise<void>;
}
