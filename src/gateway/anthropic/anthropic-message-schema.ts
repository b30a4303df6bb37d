import { z } from "zod";
import { anthropicContentBlockSchema } from "./anthropic-content-block-schema.ts";
import { anthropicUsageSchema } from "./anthropic-usage-schema.ts";

/** A whole (not streamed) Messages API answer: the message, or the error Anthropic sent instead. */
export const anthropicMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    content: z.array(anthropicContentBlockSchema),
    stop_reason: z.string().nullish(),
    usage: anthropicUsageSchema,
  }),
  z.object({ type: z.literal("error"), error: z.unknown() }),
]);
