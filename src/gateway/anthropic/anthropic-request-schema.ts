import { z } from "zod";

// Blocks are loose objects: clients echo back what answers carried (citations, cache_control...).
const imageSource = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
]);
const documentSource = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({ type: z.literal("text"), media_type: z.string().optional(), data: z.string() }),
]);
const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const imageBlock = z.looseObject({ type: z.literal("image"), source: imageSource });
const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
});

/** One content block of a request's message, as the Messages API takes it. */
const contentBlock = z.discriminatedUnion("type", [
  textBlock,
  imageBlock,
  z.looseObject({ type: z.literal("document"), source: documentSource }),
  z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
  toolResultBlock,
  z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }),
  z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
]);

const jsonSchemaFormat = z.looseObject({
  type: z.literal("json_schema"),
  schema: z.record(z.string(), z.unknown()),
});

const tool = z.union([
  z.looseObject({
    type: z.literal("custom").optional(),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, "must be 1-128 letters, digits, _ or -"),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()),
  }),
  // Anthropic's own tools (web_search_20250305, bash_20250124...): a type and a name, no schema.
  z.looseObject({ type: z.string().regex(/^[a-z][a-z0-9_]*$/), name: z.string() }),
]);

/**
 * A Messages API request (POST /v1/messages) as the gateway reads it to translate it: the fields
 * it honours, checked; the others are sorted by convertAnthropicRequestToCallOptions.
 */
export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(
    z.object({
      // Claude Code puts a system message among the others.
      role: z.enum(["user", "assistant", "system"]),
      content: z.union([z.string(), z.array(contentBlock)]),
    }),
  ),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  tools: z.array(tool).optional(),
  tool_choice: z
    .discriminatedUnion("type", [
      z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
      z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
      z.looseObject({
        type: z.literal("tool"),
        name: z.string(),
        disable_parallel_tool_use: z.boolean().optional(),
      }),
      z.looseObject({ type: z.literal("none") }),
    ])
    .optional(),
  thinking: z.looseObject({ type: z.string() }).optional(),
  output_config: z.looseObject({ format: jsonSchemaFormat.optional() }).optional(),
  output_format: jsonSchemaFormat.optional(),
});

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
