import type { ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
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
}

/**
 * Answers one /v1 request: the worst-case cost held on the key's budget (or a 429 before any
 * model is called), `attempt` with retries and fallbacks (runWithFallbacks), the OpenAI error when
 * all failed and nothing was sent yet (in the client's dialect), then the usage-log row, the metrics and the real cost
 * charged in place of the hold.
 */
export async function answerWithFallbacks(context: GatewayContext, options: AnswerOptions): Promise<void> {
  const { res, state } = options;
  let counted: WorstCase | undefined;
  const worstCase = () => {
    counted ??= options.worstCase();
    return counted;
  };
  const reservation = await reserveBudget(context, options.key, options.name, worstCase);
  try {
    const dialect = options.dialect ?? openaiDialect;
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
    recordRequest(context, {
      route: options.route,
      dialect: dialect.name,
      resolved: result.route?.resolved,
      name: options.name,
      keyId: options.key?.id ?? null,
      started: options.started,
      status: state.clientGone ? 499 : status,
      outcome,
      usage: result.ok ? result.value.usage : undefined,
      errorKind,
      firstByteAt: state.firstByteAt,
      stream: options.stream,
      committed: state.committed,
      streamedEvents: state.streamedEvents,
      worstCase,
      reservation,
      request: res.req,
      attempts: state.attempts,
    });
  } finally {
    // Settled already unless recording failed: then the hold stays charged, never silently freed.
    reservation?.settle(reservation.amountUsd);
  }
}
