import { z } from "zod";
import { anthropicContentBlockSchema } from "./anthropic-content-block-schema.ts";
import { anthropicUsageSchema } from "./anthropic-usage-schema.ts";

// Deltas a chat completion carries; others (signature, citations, compaction...) by type alone.
const KNOWN_DELTAS = new Set(["text_delta", "thinking_delta", "input_json_delta"]);

const deltaSchema = z.union([
  z.object({ type: z.literal("text_delta"), text: z.string() }),
  z.object({ type: z.literal("thinking_delta"), thinking: z.string() }),
  z.object({ type: z.literal("input_json_delta"), partial_json: z.string() }),
  z.object({ type: z.string().refine((type) => !KNOWN_DELTAS.has(type)) }),
]);

/**
 * One event of a streamed Messages API answer. Anthropic may add event types (its versioning
 * policy says to ignore those), so `KNOWN_ANTHROPIC_EVENTS` says which this schema is for.
 */
export const anthropicStreamEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message_start"), message: z.object({ usage: anthropicUsageSchema }) }),
  z.object({
    type: z.literal("content_block_start"),
    index: z.number(),
    content_block: anthropicContentBlockSchema,
  }),
  z.object({ type: z.literal("content_block_delta"), index: z.number(), delta: deltaSchema }),
  z.object({ type: z.literal("content_block_stop"), index: z.number() }),
  z.object({
    type: z.literal("message_delta"),
    delta: z.object({ stop_reason: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.object({ type: z.literal("message_stop") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("error"), error: z.unknown() }),
]);

export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

export const KNOWN_ANTHROPIC_EVENTS: ReadonlySet<string> = new Set(
  anthropicStreamEventSchema.options.map((option) => option.shape.type.value),
);
