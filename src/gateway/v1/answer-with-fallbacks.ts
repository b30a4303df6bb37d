import type { ServerResponse } from "node:http";
import type { ResolvedModel } from "../../providers/provider-registry.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import type { CachedAnswer } from "../cache/cached-answer.ts";
import { captureResponse } from "../cache/capture-response.ts";
import { planCaching } from "../cache/plan-caching.ts";
import { replayResponse } from "../cache/replay-response.ts";
import { openaiDialect } from "../openai/openai-dialect.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { sendError } from "../server/send-error.ts";
import type { WireDialect } from "../server/wire-dialect.ts";
import type { AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { type RequestRecord, recordRequest } from "./record-request.ts";
import type { RelayResult } from "./relay-upstream.ts";
import { reserveBudget, type WorstCase } from "./reserve-budget.ts";
import { runWithFallbacks } from "./run-with-fallbacks.ts";

interface AnswerOptions {
  /** The route's metrics label. */
  route: string;
  /** The client's wire format, for its errors and the metrics; default OpenAI's. */
  dialect?: WireDialect;
  /** The model name as the client sent it. */
  name: string;
  key: GatewayKey | undefined;
  started: number;
  stream: boolean;
  res: ServerResponse;
  state: AttemptState;
  /** The request's prompt tokens and output cap; called at most once, and only when needed. */
  worstCase(): WorstCase;
  attempt(route: ModelRoute): Promise<RelayResult>;
  /** The request as parsed: the response cache's key, and the parameters traces show. */
  json: Record<string, unknown>;
}

// What a cached answer costs the memory cache beyond its body (headers, usage, the entry itself).
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * Answers one /v1 request: the worst-case cost held on the key's budget (or a 429 before any
 * model is called), `attempt` with retries and fallbacks (runWithFallbacks), the OpenAI error when
 * all failed and nothing was sent yet (in the client's dialect), then the usage-log row, the metrics and the real cost
 * charged in place of the hold. A request the response cache holds is answered from it first,
 * with no hold and no model call; a successful answer to a cacheable one is kept.
 */
export async function answerWithFallbacks(context: GatewayContext, options: AnswerOptions): Promise<void> {
  const { res, state } = options;
  const dialect = options.dialect ?? openaiDialect;
  let counted: WorstCase | undefined;
  const worstCase = () => {
    counted ??= options.worstCase();
    return counted;
  };
  const settings = context.config.file.gateway.cache;
  const plan = planCaching(
    settings,
    options.key,
    res.req.headers["x-llmux-cache"],
    options.route,
    options.json,
  );
  let captured: ReturnType<typeof captureResponse> | undefined;
  if (plan === "skip") context.metrics.cached("skip");
  else if (plan) {
    const answer = await context.cache.get(plan.key);
    if (answer && replayHit(context, options, dialect.name, answer, worstCase)) return;
    context.metrics.cached("miss");
    res.setHeader("x-llmux-cache", "miss");
    captured = captureResponse(res, settings.maxEntryBytes);
  }
  const reservation = await reserveBudget(context, options.key, options.name, worstCase);
  try {
    const result = await runWithFallbacks(context, options.name, state, options.attempt, {
      route: options.route,
      dialect: dialect.name,
    });
    let status = 200;
    let errorKind: string | null = null;
    let outcome: RequestRecord["outcome"] = "ok";
    if (result.ok) {
      if (result.value.lateError) {
        outcome = state.clientGone ? "aborted" : "error";
        errorKind = state.clientGone ? "aborted" : "upstream_stream_error";
      }
    } else {
      const error = toOpenAIError(result.error).body.error;
      status = dialect.toErrorResponse(result.error).status;
      errorKind = error.code ?? error.type;
      outcome = state.clientGone ? "aborted" : "error";
      if (!state.committed && !state.clientGone) sendError(res, result.error, dialect);
    }
    // Only a whole answer the client got in full is kept.
    const whole = captured && result.ok && outcome === "ok" && !state.clientGone ? captured() : undefined;
    if (whole && result.ok && typeof plan === "object") {
      const answer: CachedAnswer = {
        headers: whole.headers,
        chunks: whole.chunks,
        stream: options.stream,
        usage: result.value.usage,
        finishReason: result.value.finishReason,
        reference: result.route.resolved.reference,
      };
      context.cache.set(plan.key, answer, whole.bytes + ENTRY_OVERHEAD_BYTES);
    }
    record(context, options, dialect.name, worstCase, {
      resolved: result.route?.resolved,
      status: state.clientGone ? 499 : status,
      outcome,
      usage: result.ok ? result.value.usage : undefined,
      finishReason: result.ok ? result.value.finishReason : undefined,
      errorKind,
      committed: state.committed,
      streamedEvents: state.streamedEvents,
      reservation,
    });
  } finally {
    // Settled already unless recording failed: then the hold stays charged, never silently freed.
    reservation?.settle(reservation.amountUsd);
  }
}

/**
 * Sends a cached answer and records it (a usage row at cost 0 with the original counts, marked
 * cached); false when its model no longer resolves (the config changed): then it is a miss.
 */
function replayHit(
  context: GatewayContext,
  options: AnswerOptions,
  dialect: string,
  answer: CachedAnswer,
  worstCase: () => WorstCase,
): boolean {
  let resolved: ResolvedModel;
  try {
    resolved = context.modelRoutes.get(answer.reference).resolved;
  } catch {
    return false;
  }
  context.metrics.cached("hit");
  replayResponse(options.res, answer, options.state);
  record(context, options, dialect, worstCase, {
    resolved,
    status: 200,
    outcome: "ok",
    usage: answer.usage,
    finishReason: answer.finishReason,
    errorKind: null,
    committed: true,
    streamedEvents: 0,
    reservation: undefined,
    cached: true,
  });
  return true;
}

/** The request's record (recordRequest): what every ending shares, from the request, with `ending`. */
function record(
  context: GatewayContext,
  options: AnswerOptions,
  dialect: string,
  worstCase: () => WorstCase,
  ending: Omit<
    RequestRecord,
    | "route"
    | "dialect"
    | "name"
    | "key"
    | "json"
    | "started"
    | "firstByteAt"
    | "stream"
    | "worstCase"
    | "request"
    | "attempts"
  >,
): void {
  const { state } = options;
  recordRequest(context, {
    route: options.route,
    dialect,
    name: options.name,
    key: options.key,
    json: options.json,
    started: options.started,
    firstByteAt: state.firstByteAt,
    stream: options.stream,
    worstCase,
    request: options.res.req,
    attempts: state.attempts,
    ...ending,
  });
}
