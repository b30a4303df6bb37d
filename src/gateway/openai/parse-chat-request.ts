import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3ToolResultPart,
} from "@ai-sdk/provider";
import { z } from "zod";
import { fromDataUrl } from "./from-data-url.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import { RequestError } from "./request-error.ts";

/** A chat completions request, as the provider layer takes it. */
export interface ChatRequest {
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
  stream: boolean;
  includeUsage: boolean;
}

// Fields the gateway honours for every provider; null counts as absent, as in the OpenAI API.
const HONOURED = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "temperature",
  "top_p",
  "top_k",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "seed",
  "tools",
  "tool_choice",
  "response_format",
  "presence_penalty",
  "frequency_penalty",
  // An end-user id for the provider's abuse monitoring: nothing to honour.
  "user",
]);

// Fields that are fine at their default value and cannot be honoured otherwise.
const DEFAULT_ONLY: Record<string, unknown> = {
  n: 1,
  logprobs: false,
  parallel_tool_calls: true,
  store: false,
};

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const userPart = z.discriminatedUnion("type", [
  textPart,
  z.object({
    type: z.literal("image_url"),
    image_url: z.object({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }),
  }),
  z.object({
    type: z.literal("input_audio"),
    input_audio: z.object({ data: z.string(), format: z.enum(["wav", "mp3"]) }),
  }),
  z.object({
    type: z.literal("file"),
    file: z.object({
      file_data: z.string().optional(),
      file_id: z.string().optional(),
      filename: z.string().optional(),
    }),
  }),
]);
const textContent = z.union([z.string(), z.array(textPart)]);
const toolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
// Message objects are not strict: clients echo back assistant messages with refusal, annotations...
const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: textContent }),
  z.object({ role: z.literal("developer"), content: textContent }),
  z.object({ role: z.literal("user"), content: z.union([z.string(), z.array(userPart)]) }),
  z.object({
    role: z.literal("assistant"),
    content: z
      .union([
        z.string(),
        z.array(z.union([textPart, z.object({ type: z.literal("refusal"), refusal: z.string() })])),
      ])
      .nullish(),
    tool_calls: z.array(toolCall).nullish(),
  }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), content: textContent }),
]);

const request = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  seed: z.number().int().optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  user: z.string().optional(),
  tools: z
    .array(
      z.object({
        type: z.literal("function"),
        function: z.object({
          name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  response_format: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_object") }),
      z.object({
        type: z.literal("json_schema"),
        json_schema: z.object({
          name: z.string(),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .optional(),
});

type Request = z.infer<typeof request>;
type Message = Request["messages"][number];

/**
 * Validates an OpenAI chat completions body for a provider that speaks another protocol and
 * turns it into AI SDK call options. Anything that cannot be honoured is refused with a 400 that
 * names the field (n > 1, logprobs, audio...), never silently dropped.
 */
export function parseChatRequest(body: Record<string, unknown>): ChatRequest {
  const present: Record<string, unknown> = {};
  const refused: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (HONOURED.has(name)) present[name] = value;
    else if (!(name in DEFAULT_ONLY) || DEFAULT_ONLY[name] !== value) refused.push(name);
  }
  if (refused.length > 0) {
    throw new RequestError(
      400,
      `Unsupported parameter${refused.length > 1 ? "s" : ""} for this model: ${refused.join(", ")}. The gateway translates this request for a non-OpenAI provider and cannot honour ${refused.length > 1 ? "them" : "it"}; remove ${refused.length > 1 ? "them" : "it"}`,
      { param: refused[0], code: "unsupported_parameter" },
    );
  }
  const parsed = request.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = formatPath(issue.path);
    throw new RequestError(400, `Invalid value for ${param || "the body"}: ${issue.message}`, {
      param: param || null,
      code: "invalid_value",
    });
  }
  const data = parsed.data;
  const callOptions: ChatRequest["callOptions"] = {
    prompt: toPrompt(data.messages),
    temperature: data.temperature,
    topP: data.top_p,
    topK: data.top_k,
    maxOutputTokens: data.max_completion_tokens ?? data.max_tokens,
    stopSequences: typeof data.stop === "string" ? [data.stop] : data.stop,
    seed: data.seed,
    presencePenalty: data.presence_penalty,
    frequencyPenalty: data.frequency_penalty,
    responseFormat: toResponseFormat(data.response_format),
    tools: data.tools?.map((t) => ({
      type: "function" as const,
      name: t.function.name,
      description: t.function.description,
      inputSchema: (t.function.parameters ?? { type: "object", properties: {} }) as never,
      ...(t.function.strict != null && { strict: t.function.strict }),
    })),
    toolChoice: toToolChoice(data.tool_choice, data.tools),
  };
  return {
    callOptions,
    stream: data.stream === true,
    includeUsage: data.stream === true && data.stream_options?.include_usage === true,
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    "",
  );
}

function joinText(content: string | readonly { text: string }[]): string {
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

function toPrompt(messages: readonly Message[]): LanguageModelV3Message[] {
  const prompt: LanguageModelV3Message[] = [];
  const toolNames = new Map<string, string>();
  for (const [i, m] of messages.entries()) {
    switch (m.role) {
      case "system":
      case "developer":
        prompt.push({ role: "system", content: joinText(m.content) });
        break;
      case "user":
        prompt.push({
          role: "user",
          content:
            typeof m.content === "string"
              ? [{ type: "text", text: m.content }]
              : m.content.map((part, j) => toUserPart(part, `messages[${i}].content[${j}]`)),
        });
        break;
      case "assistant": {
        const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
        const text =
          m.content == null
            ? ""
            : typeof m.content === "string"
              ? m.content
              : m.content.map((p) => ("text" in p ? p.text : p.refusal)).join("");
        if (text) content.push({ type: "text", text });
        for (const [j, call] of (m.tool_calls ?? []).entries()) {
          toolNames.set(call.id, call.function.name);
          content.push({
            type: "tool-call",
            toolCallId: call.id,
            toolName: call.function.name,
            input: parseToolArguments(
              call.function.arguments,
              `messages[${i}].tool_calls[${j}].function.arguments`,
            ),
          });
        }
        prompt.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const toolName = toolNames.get(m.tool_call_id);
        if (toolName === undefined) {
          throw new RequestError(
            400,
            `Invalid value for messages[${i}].tool_call_id: no earlier assistant message has a tool call with id "${m.tool_call_id}"`,
            { param: `messages[${i}].tool_call_id`, code: "invalid_value" },
          );
        }
        const result: LanguageModelV3ToolResultPart = {
          type: "tool-result",
          toolCallId: m.tool_call_id,
          toolName,
          output: { type: "text", value: joinText(m.content) },
        };
        // Results of one assistant turn travel together (Anthropic wants them in one message).
        const last = prompt.at(-1);
        if (last?.role === "tool") last.content.push(result);
        else prompt.push({ role: "tool", content: [result] });
        break;
      }
    }
  }
  return prompt;
}

type UserPart = z.infer<typeof userPart>;

function toUserPart(
  part: UserPart,
  param: string,
): Extract<LanguageModelV3Message, { role: "user" }>["content"][number] {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image_url": {
      const url = part.image_url.url;
      if (url.startsWith("data:")) return fromDataUrl(url, `${param}.image_url.url`);
      if (/^https?:\/\//.test(url)) return { type: "file", mediaType: "image/*", data: new URL(url) };
      throw new RequestError(
        400,
        `Invalid value for ${param}.image_url.url: expected an http(s) or data: URL`,
        {
          param: `${param}.image_url.url`,
          code: "invalid_value",
        },
      );
    }
    case "input_audio":
      return {
        type: "file",
        mediaType: part.input_audio.format === "wav" ? "audio/wav" : "audio/mpeg",
        data: part.input_audio.data,
      };
    case "file": {
      if (part.file.file_data === undefined) {
        throw new RequestError(
          400,
          `Unsupported value for ${param}.file: uploaded file ids cannot be used through the gateway; send file_data as a data: URL`,
          { param: `${param}.file.file_id`, code: "unsupported_parameter" },
        );
      }
      const file = fromDataUrl(part.file.file_data, `${param}.file.file_data`);
      return part.file.filename === undefined ? file : { ...file, filename: part.file.filename };
    }
  }
}

function toResponseFormat(format: Request["response_format"]): ChatRequest["callOptions"]["responseFormat"] {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json" };
  return {
    type: "json",
    schema: format.json_schema.schema as never,
    name: format.json_schema.name,
    description: format.json_schema.description,
  };
}

function toToolChoice(
  choice: Request["tool_choice"],
  tools: Request["tools"],
): ChatRequest["callOptions"]["toolChoice"] {
  if (choice === undefined) return undefined;
  if (typeof choice === "string") return { type: choice };
  if (!tools?.some((t) => t.function.name === choice.function.name)) {
    throw new RequestError(
      400,
      `Invalid value for tool_choice.function.name: no tool named "${choice.function.name}"`,
      {
        param: "tool_choice.function.name",
        code: "invalid_value",
      },
    );
  }
  return { type: "tool", toolName: choice.function.name };
}
