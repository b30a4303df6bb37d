import type { ResponsesRequest } from "./parse-responses-request.ts";
import type { toResponsesUsage } from "./to-responses-usage.ts";

/** What every snapshot of one Response shares. */
export interface ResponseMeta {
  /** "resp_..." */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The model reference that answers. */
  model: string;
  request: ResponsesRequest;
}

/** A Response's state at one point: in progress (streams), finished, or failed. */
export interface ResponseState {
  status: "in_progress" | "completed" | "incomplete" | "failed";
  output: unknown[];
  usage: ReturnType<typeof toResponsesUsage> | null;
  incompleteDetails: { reason: string } | null;
  error: { code: string; message: string } | null;
}

/** The Response object, with what the request asked for echoed as OpenAI echoes it. */
export function toResponseObject(meta: ResponseMeta, state: ResponseState) {
  const { request } = meta;
  const { echo } = request;
  return {
    id: meta.id,
    object: "response",
    created_at: meta.createdAt,
    status: state.status,
    background: false,
    error: state.error,
    incomplete_details: state.incompleteDetails,
    instructions: request.instructions ?? null,
    max_output_tokens: echo.maxOutputTokens,
    model: meta.model,
    output: state.output,
    parallel_tool_calls: request.parallelToolCalls,
    previous_response_id: request.previousResponseId ?? null,
    reasoning: { effort: null, summary: null },
    store: request.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.toolChoice,
    tools: echo.tools,
    top_p: echo.topP,
    truncation: "disabled",
    usage: state.usage,
    user: echo.user,
    metadata: echo.metadata,
  };
}
