import type { TokenUsage } from "../../catalog/compute-cost.ts";

/** An answer as a client received it, kept to be sent again to the same request. */
export interface CachedAnswer {
  /** The response headers that describe the body (content type, the model that answered). */
  headers: Record<string, string>;
  /** The body as it was written, chunk by chunk: a stream is replayed as the same events. */
  chunks: Buffer[];
  stream: boolean;
  /** The tokens the original call used: the usage log's row for a hit repeats them, at cost 0. */
  usage: TokenUsage | undefined;
  /** Why the original answer ended (RelayResult.finishReason): a hit's trace names it too. */
  finishReason?: string;
  /** The model reference that answered ("openai:gpt-4.1-mini"). */
  reference: string;
}
