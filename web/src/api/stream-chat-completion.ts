import { ApiError } from "./api-error.ts";
import { gatewayKey } from "./gateway-key.ts";
import { readSse } from "./read-sse.ts";

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatTurn[];
  temperature?: number | null;
  signal: AbortSignal;
}

/** What one streamed call took, measured from sending the request. */
export interface StreamedCall {
  model: string;
  inputTokens: number | null;
  /** The part of the input the provider served from its prompt cache (priced at its cache rate). */
  cachedInputTokens: number | null;
  outputTokens: number | null;
  timeToFirstTokenMs: number | null;
  latencyMs: number;
}

interface ChunkJson {
  model?: string;
  choices?: { delta?: { content?: string | null } }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
  } | null;
  error?: { message?: string; code?: string | null };
}

/**
 * One call to the gateway's `POST /v1/chat/completions`, streamed, with the usage chunk
 * requested; `onDelta` gets the text as it arrives. Rejects with ApiError, or the AbortError
 * of `signal` when stopped.
 */
export async function streamChatCompletion(
  request: ChatCompletionRequest,
  onDelta: (text: string) => void,
): Promise<StreamedCall> {
  const started = performance.now();
  const response = await fetch("/v1/chat/completions", {
    method: "POST",
    headers: gatewayKey.headers(),
    body: JSON.stringify({
      model: request.model,
      messages: request.messages,
      ...(request.temperature == null ? {} : { temperature: request.temperature }),
      stream: true,
      stream_options: { include_usage: true },
    }),
    signal: request.signal,
  });
  if (!response.ok) throw await ApiError.from(response);
  const call: StreamedCall = {
    model: request.model,
    inputTokens: null,
    cachedInputTokens: null,
    outputTokens: null,
    timeToFirstTokenMs: null,
    latencyMs: 0,
  };
  for await (const { data } of readSse(response)) {
    if (data === "[DONE]") break;
    const chunk = JSON.parse(data) as ChunkJson;
    if (chunk.error)
      throw new ApiError(chunk.error.message ?? "The stream failed", 502, chunk.error.code ?? null);
    const text = chunk.choices?.[0]?.delta?.content;
    if (text) {
      call.timeToFirstTokenMs ??= Math.round(performance.now() - started);
      onDelta(text);
    }
    if (chunk.usage) {
      call.inputTokens = chunk.usage.prompt_tokens ?? null;
      call.cachedInputTokens = chunk.usage.prompt_tokens_details?.cached_tokens ?? null;
      call.outputTokens = chunk.usage.completion_tokens ?? null;
    }
  }
  call.latencyMs = Math.round(performance.now() - started);
  return call;
}
