import type { OpenAIErrorBody, PullDone, PullProgress } from "../../../src/gateway/app/app-api-types.ts";
import { ApiError } from "./api-error.ts";
import { gatewayKey } from "./gateway-key.ts";
import { readSse } from "./read-sse.ts";

/**
 * `POST /app/api/pull`: the server downloads a catalog model, reporting `progress` events, and ends
 * with `done` or `error`. Rejects with ApiError, or AbortError when stopped.
 */
export async function streamPull(
  request: { model: string; signal: AbortSignal },
  onProgress: (progress: PullProgress) => void,
): Promise<PullDone> {
  const response = await fetch("/app/api/pull", {
    method: "POST",
    headers: gatewayKey.headers(),
    body: JSON.stringify({ model: request.model }),
    signal: request.signal,
  });
  if (!response.ok) throw await ApiError.from(response);
  for await (const { event, data } of readSse(response)) {
    const payload = JSON.parse(data) as unknown;
    if (event === "progress") onProgress(payload as PullProgress);
    else if (event === "done") return payload as PullDone;
    else if (event === "error") {
      const { error } = payload as OpenAIErrorBody;
      throw new ApiError(error.message, 502, error.code);
    }
  }
  throw new ApiError("The download stream ended early", 502);
}
