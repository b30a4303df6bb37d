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
  | { outcome: "ok"; call: StreamedCall & { costUsd: number | null } }
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
    return {
      outcome: "ok",
      call: { ...call, costUsd: costOfCall(findAppModel(models, request.model), call) },
    };
  } catch (error) {
    if (isAbortError(error)) return { outcome: "aborted" };
    return { outcome: "error", message: (error as Error).message || "The call failed" };
  }
}
