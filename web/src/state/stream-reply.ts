import type { AppModelList } from "../../../src/gateway/app/app-api-types.ts";
import { isAbortError } from "../api/is-abort-error.ts";
import {
  type ChatCompletionRequest,
  type StreamedCall,
  streamChatCompletion,
} from "../api/stream-chat-completion.ts";
import { costOfCall } from "../cost-of-call.ts";
import type { TextStream } from "./create-text-stream.ts";
import { findAppModel } from "./find-app-model.ts";

/** How a streamed reply ended, with what the view shows for it. */
export type ReplyResult =
  | { outcome: "ok"; call: Omit<StreamedCall, "cachedInputTokens"> & { costUsd: number | null } }
  | { outcome: "aborted" }
  | { outcome: "error"; message: string };

/**
 * One chat completion streamed into `stream`, priced at the model's catalog price in `models`.
 * Never rejects: a stop or a failure is its result, which chat and compare each show their way.
 */
export async function streamReply(
  request: ChatCompletionRequest,
  stream: TextStream,
  models: AppModelList | null,
): Promise<ReplyResult> {
  try {
    const call = await streamChatCompletion(request, (delta) => stream.append(delta));
    // The cached part prices the reply; the reply's saved facts keep the counts they always had.
    const { cachedInputTokens: _, ...facts } = call;
    return {
      outcome: "ok",
      call: { ...facts, costUsd: costOfCall(findAppModel(models, request.model), call) },
    };
  } catch (error) {
    if (isAbortError(error)) return { outcome: "aborted" };
    return { outcome: "error", message: (error as Error).message || "The call failed" };
  }
}
