import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** An OTLP attribute value as the JSON encoding writes it. */
interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}

type OtlpAttributes = { key: string; value: OtlpValue }[];

/** The parts of an OTLP/JSON export request these tests read. */
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttributes };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: OtlpAttributes;
        status?: { code?: number };
      }[];
    }[];
  }[];
  resourceMetrics?: {
    scopeMetrics: {
      metrics: {
        name: string;
        unit: string;
        histogram?: OtlpPoints;
        sum?: OtlpPoints;
        gauge?: OtlpPoints;
      }[];
    }[];
  }[];
}

interface OtlpPoints {
  dataPoints: { attributes?: OtlpAttributes; sum?: number; count?: string | number }[];
}

/** One exported span, its attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 2 server, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  /** The resource's service.name. */
  serviceName: unknown;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  /** Every export received: its path, headers and raw body. */
  requests: { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }[];
  spans(): ReceivedSpan[];
  /** The names of the metrics received, with their data points' attributes. */
  metrics(): {
    name: string;
    unit: string;
    points: { attributes: Record<string, unknown>; sum?: number; count?: string | number }[];
  }[];
  /** Resolves once `check` holds for what was received; rejects after `timeoutMs`. */
  waitFor(check: (receiver: OtlpReceiver) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const flatValue = (value: OtlpValue): unknown =>
  value.arrayValue
    ? value.arrayValue.values.map(flatValue)
    : (value.stringValue ??
      (value.intValue === undefined ? undefined : Number(value.intValue)) ??
      value.doubleValue ??
      value.boolValue);

const flatAttributes = (list: OtlpAttributes = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, flatValue(value)]));

/**
 * A loopback OpenTelemetry collector: answers OTLP/HTTP exports (JSON, the encoding of the
 * @opentelemetry/exporter-*-otlp-http packages) POSTed to any path, keeps them, and tells traces
 * from metrics by their content (a signal's own endpoint may have any path).
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceiver["requests"] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      if (req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const bodies = () => requests.map((r) => JSON.parse(r.body.toString()) as OtlpExport);
  const receiver: OtlpReceiver = {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans() {
      return bodies().flatMap((body) =>
        (body.resourceSpans ?? []).flatMap((resourceSpans) =>
          resourceSpans.scopeSpans.flatMap((scope) =>
            scope.spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: String(span.startTimeUnixNano),
              endTimeUnixNano: String(span.endTimeUnixNano),
              attributes: flatAttributes(span.attributes),
              statusCode: span.status?.code ?? 0,
              serviceName: flatAttributes(resourceSpans.resource?.attributes)["service.name"],
            })),
          ),
        ),
      );
    },
    metrics() {
      return bodies().flatMap((body) =>
        (body.resourceMetrics ?? []).flatMap((resourceMetrics) =>
          resourceMetrics.scopeMetrics.flatMap((scope) =>
            scope.metrics.map((metric) => ({
              name: metric.name,
              unit: metric.unit,
              points: (metric.histogram ?? metric.sum ?? metric.gauge)!.dataPoints.map((point) => ({
                attributes: flatAttributes(point.attributes),
                sum: point.sum,
                count: point.count,
              })),
            })),
          ),
        ),
      );
    },
    async waitFor(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(receiver)) {
        if (Date.now() > deadline) throw new Error("The OTLP receiver did not get what was expected in time");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
