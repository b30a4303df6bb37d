import type {
  OpenAIErrorBody,
  SummarizeDelta,
  SummarizeDone,
  SummarizePage,
} from "../../../src/gateway/app/app-api-types.ts";
import { ApiError } from "./api-error.ts";
import { gatewayKey } from "./gateway-key.ts";
import { readSse } from "./read-sse.ts";

interface SummaryHandlers {
  onPage(page: SummarizePage): void;
  onDelta(text: string): void;
}

/**
 * `POST /app/api/summarize`: the server reads the page (event `page`), streams the summary
 * (`delta` events) and ends with `done` or `error`. Rejects with ApiError, or AbortError when stopped.
 */
export async function streamSummary(
  request: { url: string; model: string; signal: AbortSignal },
  handlers: SummaryHandlers,
): Promise<SummarizeDone> {
  const response = await fetch("/app/api/summarize", {
    method: "POST",
    headers: gatewayKey.headers(),
    body: JSON.stringify({ url: request.url, model: request.model }),
    signal: request.signal,
  });
  if (!response.ok) throw await ApiError.from(response);
  for await (const { event, data } of readSse(response)) {
    const payload = JSON.parse(data) as unknown;
    if (event === "page") handlers.onPage(payload as SummarizePage);
    else if (event === "delta") handlers.onDelta((payload as SummarizeDelta).text);
    else if (event === "done") return payload as SummarizeDone;
    else if (event === "error") {
      const { error } = payload as OpenAIErrorBody;
      throw new ApiError(error.message, 502, error.code);
    }
  }
  throw new ApiError("The summary stream ended early", 502);
}
