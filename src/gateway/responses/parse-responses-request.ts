import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { z } from "zod";
import { RequestError } from "../openai/request-error.ts";

/** A Responses API request, as the provider layer takes it (the prompt is built from `input`). */
export interface ResponsesRequest {
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal" | "prompt">;
  instructions: string | undefined;
  /** The request's own input items (a string input as one user message). */
  input: ResponsesInputItem[];
  previousResponseId: string | undefined;
  stream: boolean;
  store: boolean;
  /** False: only the first function call of an answer is kept. */
  parallelToolCalls: boolean;
  /** Fields and tools accepted but not acted on, as named in x-llmux-ignored and /metrics. */
  ignored: string[];
  /** What the Response object echoes back. */
  echo: {
    metadata: Record<string, string>;
    tools: unknown[];
    toolChoice: unknown;
    text: { format: unknown };
    temperature: number | null;
    topP: number | null;
    maxOutputTokens: number | null;
    user: string | null;
  };
}

// Fields the gateway acts on for every upstream; null counts as absent, as in the OpenAI API.
const HONOURED = new Set([
  "model",
  "input",
  "instructions",
  "max_output_tokens",
  "metadata",
  "parallel_tool_calls",
  "previous_response_id",
  "store",
  "stream",
  "temperature",
  "text",
  "tool_choice",
  "tools",
  "top_p",
  // End-user ids for the provider's abuse monitoring: nothing to honour.
  "user",
  "safety_identifier",
]);

// What coding agents send on every request and only OpenAI can act on, none of which changes
// what an answer means (see ../shared/client-requests/README.md): accepted, and named as ignored.
const IGNORABLE = new Set([
  "include",
  "reasoning",
  "prompt_cache_key",
  "prompt_cache_retention",
  "prompt_cache_options",
  "client_metadata",
  "service_tier",
  "stream_options",
  "truncation",
  "context_management",
]);

// Fine at their default; anything else would change the answer.
const DEFAULT_ONLY: Record<string, unknown> = { background: false, top_logprobs: 0 };

// Tools OpenAI runs itself (or that need its platform): the model is never asked to call them
// elsewhere, which changes nothing unless tool_choice insists on one.
const HOSTED_TOOLS = new Set([
  "web_search",
  "web_search_preview",
  "web_search_2025_08_26",
  "web_search_preview_2025_03_11",
  "file_search",
  "code_interpreter",
  "image_generation",
  "computer_use_preview",
  "computer",
  "mcp",
  "local_shell",
  "shell",
  "apply_patch",
  "custom",
  "namespace",
  "tool_search",
  "programmatic_tool_calling",
]);

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().optional(),
});
const inputFile = z.object({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
const contentPart = z.discriminatedUnion("type", [
  inputText,
  inputImage,
  inputFile,
  z.object({ type: z.literal("output_text"), text: z.string() }),
  z.object({ type: z.literal("refusal"), refusal: z.string() }),
]);
const message = z.object({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
});
const functionCall = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const functionCallOutput = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion("type", [inputText, inputImage, inputFile]))]),
});
// The model's earlier thoughts, sent back by clients that keep no server state: no other
// upstream can read OpenAI's encrypted reasoning, so they are dropped from the prompt.
const reasoning = z.object({ type: z.literal("reasoning") });
const inputItem = z.discriminatedUnion("type", [message, functionCall, functionCallOutput, reasoning]);

/** One item of a Responses `input` (messages without `type` are given `type: "message"`). */
export type ResponsesInputItem = z.infer<typeof inputItem>;

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const request = z.object({
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  instructions: z.string().optional(),
  max_output_tokens: z.number().int().min(1).optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).optional(),
  parallel_tool_calls: z.boolean().optional(),
  previous_response_id: z.string().min(1).optional(),
  store: z.boolean().optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.object({ type: z.literal("function"), name: z.string() }),
      z.looseObject({ type: z.string() }),
    ])
    .optional(),
  text: z
    .object({
      format: z
        .discriminatedUnion("type", [
          z.object({ type: z.literal("text") }),
          z.object({ type: z.literal("json_object") }),
          z.object({
            type: z.literal("json_schema"),
            name: z.string().min(1),
            schema: z.record(z.string(), z.unknown()),
            description: z.string().nullish(),
            strict: z.boolean().nullish(),
          }),
        ])
        .optional(),
      verbosity: z.string().nullish(),
    })
    .optional(),
});

type Request = z.infer<typeof request>;

/**
 * Validates a Responses API body for an upstream that does not speak it and turns it into AI SDK
 * call options. What cannot be honoured and would change the answer is refused with a 400 that
 * names it; what only OpenAI acts on and changes nothing else (see IGNORABLE, HOSTED_TOOLS) is
 * accepted and listed in `ignored`.
 */
export function parseResponsesRequest(body: Record<string, unknown>): ResponsesRequest {
  const present: Record<string, unknown> = {};
  const refused: string[] = [];
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (HONOURED.has(name)) present[name] = value;
    else if (IGNORABLE.has(name)) ignored.push(name);
    else if (!(name in DEFAULT_ONLY) || DEFAULT_ONLY[name] !== value) refused.push(name);
  }
  if (refused.length > 0) {
    const them = refused.length > 1 ? "them" : "it";
    throw new RequestError(
      400,
      `Unsupported parameter${refused.length > 1 ? "s" : ""} for this model: ${refused.join(", ")}. The gateway translates this request for a model that does not speak the Responses API and cannot honour ${them}; remove ${them}`,
      { param: refused[0], code: "unsupported_parameter" },
    );
  }
  const data = check(request, present, "");
  if (data.input === undefined) {
    throw new RequestError(400, "Missing required parameter: 'input'.", {
      param: "input",
      code: "missing_required_parameter",
    });
  }
  const input: ResponsesInputItem[] =
    typeof data.input === "string"
      ? [{ type: "message", role: "user", content: data.input }]
      : data.input.map((item, i) => {
          const typed =
            isRecord(item) && item.type === undefined && "role" in item ? { ...item, type: "message" } : item;
          return check(inputItem, typed, `input[${i}]`);
        });
  if (data.text?.verbosity != null) ignored.push("text.verbosity");
  const tools: z.infer<typeof functionTool>[] = [];
  for (const [i, tool] of (data.tools ?? []).entries()) {
    if (tool.type === "function") tools.push(check(functionTool, tool, `tools[${i}]`));
    else if (HOSTED_TOOLS.has(tool.type)) ignored.push(`tools.${tool.type}`);
    else {
      throw new RequestError(400, `Unsupported value for tools[${i}].type: ${tool.type}`, {
        param: `tools[${i}].type`,
        code: "unsupported_parameter",
      });
    }
  }
  const format = data.text?.format;
  const toolChoice = toToolChoice(data.tool_choice, tools);
  return {
    callOptions: {
      temperature: data.temperature,
      topP: data.top_p,
      maxOutputTokens: data.max_output_tokens,
      responseFormat:
        format === undefined || format.type === "text"
          ? undefined
          : format.type === "json_object"
            ? { type: "json" }
            : {
                type: "json",
                schema: format.schema as never,
                name: format.name,
                description: format.description ?? undefined,
              },
      ...(tools.length > 0 && {
        tools: tools.map((t) => ({
          type: "function" as const,
          name: t.name,
          description: t.description ?? undefined,
          inputSchema: (t.parameters ?? { type: "object", properties: {} }) as never,
          ...(t.strict != null && { strict: t.strict }),
        })),
        toolChoice,
      }),
    },
    instructions: data.instructions,
    input,
    previousResponseId: data.previous_response_id,
    stream: data.stream === true,
    store: data.store !== false,
    parallelToolCalls: data.parallel_tool_calls !== false,
    ignored: [...new Set(ignored)],
    echo: {
      metadata: data.metadata ?? {},
      tools: data.tools ?? [],
      toolChoice: data.tool_choice ?? "auto",
      text: { format: format ?? { type: "text" } },
      temperature: data.temperature ?? null,
      topP: data.top_p ?? null,
      maxOutputTokens: data.max_output_tokens ?? null,
      user: data.user ?? null,
    },
  };
}

function toToolChoice(
  choice: Request["tool_choice"],
  tools: readonly { name: string }[],
): ResponsesRequest["callOptions"]["toolChoice"] {
  if (choice === undefined) return undefined;
  if (choice === "required" && tools.length === 0) {
    throw new RequestError(400, "Invalid value for tool_choice: required, but no function tools were given", {
      param: "tool_choice",
      code: "invalid_value",
    });
  }
  if (typeof choice === "string") return { type: choice };
  if (choice.type !== "function" || typeof choice.name !== "string") {
    throw new RequestError(
      400,
      `Unsupported value for tool_choice: ${choice.type} (only function tools can be required here)`,
      {
        param: "tool_choice",
        code: "unsupported_parameter",
      },
    );
  }
  if (!tools.some((t) => t.name === choice.name)) {
    throw new RequestError(
      400,
      `Invalid value for tool_choice.name: no function tool named "${choice.name}"`,
      {
        param: "tool_choice.name",
        code: "invalid_value",
      },
    );
  }
  return { type: "tool", toolName: choice.name };
}

// A value checked against its schema, or a 400 naming the first problem's place.
function check<T>(schema: z.ZodType<T>, value: unknown, at: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const param = issue.path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    at,
  );
  throw new RequestError(400, `Invalid value for ${param || "the body"}: ${issue.message}`, {
    param: param || null,
    code: "invalid_value",
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
