import type { DeploymentReport, Pools } from "../pools/create-pools.ts";
/** One finished request, as /metrics counts it. */
export interface RequestSample {
  /** The route's metrics label ("chat", "embeddings", "messages"...). */
  route: string;
  /** The wire format the client spoke (WireDialect.name). */
  dialect: string;
  /** The model reference that answered (or was asked for, when none did). */
  model: string;
  provider: string;
  status: number;
  durationMs: number;
  /** First body byte to the client; streams only. */
  timeToFirstTokenMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
  /** The LlmuxError kind (or request error code) of a failed request. */
  errorKind?: string;
}

export interface GatewayMetrics {
  observe(sample: RequestSample): void;
  retried(series: Pick<RequestSample, "route" | "dialect" | "model" | "provider">): void;
  fellBack(from: string, to: string): void;
  /**
   * A request field accepted but not acted on (a hosted tool, a cache key...): clients of one
   * dialect send them on every request, and the operator sees here what their answers did without.
   * `field` comes from the gateway's own lists, never from the client, so the label stays bounded.
   */
  ignored(dialect: string, field: string): void;
  inFlight(delta: number): void;
  /** A request the response cache answered (hit), could not answer (miss), or was not allowed to (skip). */
  cached(result: "hit" | "miss" | "skip"): void;
  /** The Prometheus text exposition format, version 0.0.4. */
  render(): string;
}

const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

class Histogram {
  readonly counts = new Float64Array(BUCKETS_S.length);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS_S.length; i++) if (seconds <= BUCKETS_S[i]!) this.counts[i]!++;
  }
}

interface Series {
  labels: string;
  requests: Map<number, number>;
  duration: Histogram;
  ttft: Histogram;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errors: Map<string, number>;
  retries: number;
}

/** The most distinct values one label takes; later ones are counted as `other`. */
export const METRIC_LABEL_LIMITS = { model: 200, provider: 100, errorKind: 100 } as const;

/** The value a label is counted under: itself while fewer than `limit` distinct values were seen. */
function capLabel(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit) return "other";
    seen.add(value);
    return value;
  };
}

/**
 * Counters and histograms by route, model and provider, kept in plain maps: observe() is on every
 * request's path and costs a map lookup and a few additions. Each label keeps at most its
 * METRIC_LABEL_LIMITS distinct values, so /metrics stays bounded whatever names clients send.
 */
export function createMetrics(
  options: {
    usage?: { bufferedRows(): number; droppedRows(): number };
    /** Bytes the response cache holds in this process (undefined: held in Redis). */
    cacheBytes?: () => number | undefined;
    /** Each pool's deployments as this replica sees them (gateway.pools), for their gauges. */
    pools?: () => ReturnType<Pools["report"]>;
  } = {},
): GatewayMetrics {
  const series = new Map<string, Series>();
  const fallbacks = new Map<string, number>();
  const ignored = new Map<string, number>();
  let inFlight = 0;
  const cache = { hit: 0, miss: 0, skip: 0 };
  const modelLabel = capLabel(METRIC_LABEL_LIMITS.model);
  const providerLabel = capLabel(METRIC_LABEL_LIMITS.provider);
  const errorKindLabel = capLabel(METRIC_LABEL_LIMITS.errorKind);

  const seriesFor = (route: string, dialect: string, anyModel: string, anyProvider: string): Series => {
    const model = modelLabel(anyModel);
    const provider = providerLabel(anyProvider);
    const key = `${route}\u0000${dialect}\u0000${model}\u0000${provider}`;
    let s = series.get(key);
    if (!s) {
      s = {
        labels: `route="${escapeLabel(route)}",dialect="${escapeLabel(dialect)}",model="${escapeLabel(model)}",provider="${escapeLabel(provider)}"`,
        requests: new Map(),
        duration: new Histogram(),
        ttft: new Histogram(),
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        errors: new Map(),
        retries: 0,
      };
      series.set(key, s);
    }
    return s;
  };

  return {
    observe(sample) {
      const s = seriesFor(sample.route, sample.dialect, sample.model, sample.provider);
      s.requests.set(sample.status, (s.requests.get(sample.status) ?? 0) + 1);
      s.duration.observe(sample.durationMs / 1000);
      if (sample.timeToFirstTokenMs !== undefined) s.ttft.observe(sample.timeToFirstTokenMs / 1000);
      s.inputTokens += sample.inputTokens ?? 0;
      s.outputTokens += sample.outputTokens ?? 0;
      s.costUsd += sample.costUsd ?? 0;
      if (sample.errorKind) {
        const kind = errorKindLabel(sample.errorKind);
        s.errors.set(kind, (s.errors.get(kind) ?? 0) + 1);
      }
    },
    retried({ route, dialect, model, provider }) {
      seriesFor(route, dialect, model, provider).retries++;
    },
    fellBack(from, to) {
      const key = `from="${escapeLabel(modelLabel(from))}",to="${escapeLabel(modelLabel(to))}"`;
      fallbacks.set(key, (fallbacks.get(key) ?? 0) + 1);
    },
    ignored(dialect, field) {
      const key = `dialect="${escapeLabel(dialect)}",field="${escapeLabel(field)}"`;
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
    },
    inFlight(delta) {
      inFlight += delta;
    },
    cached(result) {
      cache[result]++;
    },
    render() {
      const out: string[] = [];
      const family = (name: string, type: string, help: string) =>
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      const all = [...series.values()];
      family("llmux_gateway_requests_total", "counter", "Requests answered, by HTTP status.");
      for (const s of all)
        for (const [status, n] of s.requests)
          out.push(`llmux_gateway_requests_total{${s.labels},status="${status}"} ${n}`);
      histogram(
        out,
        family,
        "llmux_gateway_request_duration_seconds",
        "Time from request to the last byte of the answer.",
        all,
        (s) => s.duration,
      );
      histogram(
        out,
        family,
        "llmux_gateway_time_to_first_token_seconds",
        "Time from request to the first streamed byte.",
        all,
        (s) => s.ttft,
      );
      family("llmux_gateway_tokens_total", "counter", "Tokens reported by the providers.");
      for (const s of all) {
        out.push(`llmux_gateway_tokens_total{${s.labels},type="input"} ${s.inputTokens}`);
        out.push(`llmux_gateway_tokens_total{${s.labels},type="output"} ${s.outputTokens}`);
      }
      family(
        "llmux_gateway_cost_usd_total",
        "counter",
        "Cost in US dollars, from the catalog's prices (unknown prices count 0).",
      );
      for (const s of all) out.push(`llmux_gateway_cost_usd_total{${s.labels}} ${round(s.costUsd)}`);
      family("llmux_gateway_errors_total", "counter", "Failed requests, by error kind.");
      for (const s of all)
        for (const [kind, n] of s.errors)
          out.push(`llmux_gateway_errors_total{${s.labels},kind="${escapeLabel(kind)}"} ${n}`);
      family(
        "llmux_gateway_retries_total",
        "counter",
        "Upstream attempts repeated after a 429, 5xx or connection error.",
      );
      for (const s of all)
        if (s.retries > 0) out.push(`llmux_gateway_retries_total{${s.labels}} ${s.retries}`);
      family("llmux_gateway_fallbacks_total", "counter", "Requests moved to a fallback model.");
      for (const [labels, n] of fallbacks) out.push(`llmux_gateway_fallbacks_total{${labels}} ${n}`);
      family("llmux_gateway_ignored_fields_total", "counter", "Request fields accepted but not acted on.");
      for (const [labels, n] of ignored) out.push(`llmux_gateway_ignored_fields_total{${labels}} ${n}`);
      family(
        "llmux_gateway_cache_requests_total",
        "counter",
        "Requests the response cache answered (hit), could not answer (miss) or had to pass on (skip).",
      );
      for (const [result, n] of Object.entries(cache))
        out.push(`llmux_gateway_cache_requests_total{result="${result}"} ${n}`);
      const cacheBytes = options.cacheBytes?.();
      if (cacheBytes !== undefined) {
        family(
          "llmux_gateway_cache_bytes",
          "gauge",
          "Bytes of answers the response cache holds in this process.",
        );
        out.push(`llmux_gateway_cache_bytes ${cacheBytes}`);
      }
      renderPools(out, family, options.pools?.() ?? {});
      family("llmux_gateway_requests_in_flight", "gauge", "Requests being served now.");
      out.push(`llmux_gateway_requests_in_flight ${inFlight}`);
      const { usage } = options;
      if (usage) {
        family(
          "llmux_gateway_usage_buffer_rows",
          "gauge",
          "Usage rows recorded and not yet written to the store.",
        );
        out.push(`llmux_gateway_usage_buffer_rows ${usage.bufferedRows()}`);
        family(
          "llmux_gateway_usage_rows_dropped_total",
          "counter",
          "Usage rows given up: pushed out of a full buffer, or refused by the store.",
        );
        out.push(`llmux_gateway_usage_rows_dropped_total ${usage.droppedRows()}`);
      }
      return `${out.join("\n")}\n`;
    },
  };
}

// Two gauges and two counters per deployment: few pools and deployments, named by the operator.
function renderPools(
  out: string[],
  family: (name: string, type: string, help: string) => void,
  pools: ReturnType<Pools["report"]>,
): void {
  const rows = Object.entries(pools).flatMap(([pool, { deployments }]) =>
    deployments.map((d) => ({
      labels: `pool="${escapeLabel(pool)}",deployment="${escapeLabel(d.model)}"`,
      d,
    })),
  );
  if (rows.length === 0) return;
  const families = [
    [
      "healthy",
      "gauge",
      "1 while a pool's deployment gets traffic, 0 while it is ejected.",
      (d) => (d.healthy ? 1 : 0),
    ],
    ["in_flight", "gauge", "Requests a pool's deployment is serving now.", (d) => d.inFlight],
    ["requests_total", "counter", "Attempts sent to a pool's deployment.", (d) => d.requests],
    ["failures_total", "counter", "Attempts a pool's deployment failed.", (d) => d.failures],
  ] as const satisfies readonly (readonly [string, string, string, (d: DeploymentReport) => number])[];
  for (const [name, type, help, value] of families) {
    family(`llmux_gateway_pool_deployment_${name}`, type, help);
    for (const { labels, d } of rows)
      out.push(`llmux_gateway_pool_deployment_${name}{${labels}} ${value(d)}`);
  }
}

function histogram(
  out: string[],
  family: (name: string, type: string, help: string) => void,
  name: string,
  help: string,
  all: Series[],
  pick: (s: Series) => Histogram,
): void {
  family(name, "histogram", help);
  for (const s of all) {
    const h = pick(s);
    if (h.count === 0) continue;
    for (let i = 0; i < BUCKETS_S.length; i++)
      out.push(`${name}_bucket{${s.labels},le="${BUCKETS_S[i]}"} ${h.counts[i]}`);
    out.push(
      `${name}_bucket{${s.labels},le="+Inf"} ${h.count}`,
      `${name}_sum{${s.labels}} ${round(h.sum)}`,
      `${name}_count{${s.labels}} ${h.count}`,
    );
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
