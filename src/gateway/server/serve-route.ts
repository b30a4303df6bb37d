import type { IncomingMessage, ServerResponse } from "node:http";
import { openaiDialect } from "../openai/openai-dialect.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import type { KeyGuard } from "./create-key-guard.ts";
import type { GatewayMetrics } from "./create-metrics.ts";
import type { HttpRoute } from "./create-route-table.ts";
import { sendError } from "./send-error.ts";

export interface RouteServices {
  keys: KeyGuard;
  /** Counts labelled routes (HttpRoute.metricsLabel); without it nothing is measured. */
  metrics?: GatewayMetrics;
}

/**
 * Runs one route's handler with what every route gets from the core, in one place: the gateway
 * key (a 401 when keys exist and it is missing or unknown), its requests per minute, the metrics
 * of a labelled route, and an error answered in the route's dialect (or the connection closed when
 * the answer had begun). Resolves false when the handler found nothing at its path.
 */
export async function serveRoute(
  route: HttpRoute,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  services: RouteServices,
): Promise<boolean> {
  const started = performance.now();
  const metrics = route.metricsLabel === undefined ? undefined : services.metrics;
  const dialect = route.dialect ?? openaiDialect;
  metrics?.inFlight(1);
  try {
    const key = route.access === "key" ? services.keys.authenticate(req.headers) : undefined;
    if (key && route.rateLimit === "request") await services.keys.limitRate(key);
    return (await route.handle({ req, res, path, key, started })) !== false;
  } catch (error) {
    if (res.headersSent) res.destroy();
    else sendError(res, error, dialect);
    // Refused before any model was called: counted, not written to the usage log.
    if (metrics) {
      const { body } = toOpenAIError(error);
      metrics.observe({
        route: route.metricsLabel!,
        dialect: dialect.name,
        model: "unknown",
        provider: "unknown",
        status: dialect.toErrorResponse(error).status,
        durationMs: performance.now() - started,
        errorKind: body.error.code ?? body.error.type,
      });
    }
    return true;
  } finally {
    metrics?.inFlight(-1);
  }
}
