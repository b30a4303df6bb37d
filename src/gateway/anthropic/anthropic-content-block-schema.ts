import { z } from "zod";

// The blocks a chat completion can carry; the rest (server tools, citations, compaction...) pass
// with their type alone. A block of a known type must have its fields.
const KNOWN_BLOCKS = new Set(["text", "thinking", "tool_use"]);

/** One content block of a Messages API answer, whole or as content_block_start announces it. */
export const anthropicContentBlockSchema = z.union([
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("thinking"), thinking: z.string() }),
  z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.string().refine((type) => !KNOWN_BLOCKS.has(type)) }),
]);
