import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3TextPart,
  LanguageModelV3ToolResultPart,
} from "@ai-sdk/provider";
import { RequestError } from "../openai/request-error.ts";
import { type AnthropicRequest, anthropicRequestSchema } from "./anthropic-request-schema.ts";

/** A Messages API request as the provider layer takes it, with what could not be passed on. */
export interface AnthropicCallRequest {
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
  stream: boolean;
  /** Fields accepted but not passed on to a non-Anthropic model (for x-llmux-ignored). */
  ignored: string[];
}

// Fields the translation honours, or that mean nothing to answer (metadata: an end-user id).
const READ = new Set([
  "model",
  "max_tokens",
  "messages",
  "system",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "metadata",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "output_format",
]);

// Anthropic-only settings that do not change what an answer means (see
// ../shared/client-requests/README.md): accepted and named as ignored.
const IGNORABLE = new Set([
  "context_management",
  "cache_control",
  "container",
  "diagnostics",
  "inference_geo",
  "service_tier",
  "speed",
  "user_profile_id",
  "workspace_id",
]);

// Remote tools the model would call: losing them changes the answer.
const REFUSED = new Set(["mcp_servers"]);

// Anthropic's own tools (web_search_20250305...), by their type less its version date.
const ANTHROPIC_TOOLS = new Set([
  "web_search",
  "web_fetch",
  "code_execution",
  "bash",
  "text_editor",
  "computer",
  "memory",
  "tool_search_tool_regex",
  "tool_search_tool_bm25",
  "mcp_toolset",
]);

type Block = Exclude<AnthropicRequest["messages"][number]["content"], string>[number];
type UserContent = Extract<LanguageModelV3Message, { role: "user" }>["content"];
type AssistantContent = Extract<LanguageModelV3Message, { role: "assistant" }>["content"];

/**
 * Validates a Messages API body for a model that does not speak Anthropic's protocol and turns it
 * into AI SDK call options. What only Anthropic can honour but does not change what a plain
 * answer means (context_management, thinking options, output effort, beta headers, Anthropic's
 * own tools the request does not make the model call) is accepted and named in `ignored`, as
 * coding agents send it on every request; what would change the answer is a 400.
 */
export function convertAnthropicRequestToCallOptions(
  body: Record<string, unknown>,
  betaHeader: string | undefined,
): AnthropicCallRequest {
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined || READ.has(name)) continue;
    if (IGNORABLE.has(name)) {
      ignored.push(name);
      continue;
    }
    // Anthropic refuses fields it does not know too ("Extra inputs are not permitted").
    throw new RequestError(
      400,
      REFUSED.has(name)
        ? `${name}: only Anthropic's own models can use it, and this request is translated for another provider; remove it or ask for an anthropic: model`
        : `${name}: Extra inputs are not permitted`,
      { param: name, code: "unsupported_parameter" },
    );
  }
  if (betaHeader) ignored.push("anthropic-beta");
  const parsed = anthropicRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.map(String).join(".");
    throw new RequestError(400, `${param || "body"}: ${issue.message}`, {
      param: param || null,
      code: "invalid_value",
    });
  }
  const request = parsed.data;
  if (request.thinking && request.thinking.type !== "disabled") ignored.push("thinking");
  const { format, ...otherOutput } = request.output_config ?? {};
  if (Object.keys(otherOutput).length > 0) ignored.push("output_config");
  // Structured outputs: the older beta field, or output_config's.
  const jsonFormat = format ?? request.output_format;

  const tools: NonNullable<AnthropicCallRequest["callOptions"]["tools"]> = [];
  for (const tool of request.tools ?? []) {
    if ("input_schema" in tool && (tool.type === undefined || tool.type === "custom")) {
      tools.push({
        type: "function",
        name: tool.name,
        description: tool.description as string | undefined,
        inputSchema: tool.input_schema as never,
      });
    } else {
      const family = String(tool.type).replace(/_\d{8}$/, "");
      ignored.push(`tools.${ANTHROPIC_TOOLS.has(family) ? family : "other"}`);
    }
  }
  const choice = request.tool_choice;
  if (choice && "disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use) {
    ignored.push("tool_choice.disable_parallel_tool_use");
  }
  if (choice?.type === "tool" && !tools.some((t) => t.name === choice.name)) {
    throw new RequestError(400, `tool_choice.name: no tool named "${choice.name}" that this model can call`, {
      param: "tool_choice.name",
      code: "invalid_value",
    });
  }

  const system = request.system === undefined ? [] : [systemMessage(request.system, "system")];
  return {
    callOptions: {
      prompt: [...system, ...toPrompt(request.messages, ignored)],
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      topK: request.top_k,
      stopSequences: request.stop_sequences,
      tools: tools.length > 0 ? tools : undefined,
      toolChoice:
        choice === undefined
          ? undefined
          : choice.type === "any"
            ? { type: "required" }
            : choice.type === "tool"
              ? { type: "tool", toolName: choice.name }
              : { type: choice.type },
      responseFormat: jsonFormat && { type: "json", schema: jsonFormat.schema as never },
    },
    stream: request.stream === true,
    ignored: [...new Set(ignored)],
  };
}

function systemMessage(content: string | readonly Block[], param: string): LanguageModelV3Message {
  if (typeof content === "string") return { role: "system", content };
  const texts = content.map((block, i) => {
    if (block.type !== "text") {
      throw new RequestError(400, `${param}[${i}]: a system prompt takes text blocks only`, {
        param: `${param}[${i}].type`,
        code: "invalid_value",
      });
    }
    return block.text;
  });
  return { role: "system", content: texts.join("\n\n") };
}

function toPrompt(messages: AnthropicRequest["messages"], ignored: string[]): LanguageModelV3Message[] {
  const prompt: LanguageModelV3Message[] = [];
  // tool_use ids and their names: a tool_result names only the id.
  const toolNames = new Map<string, string>();
  for (const [i, message] of messages.entries()) {
    const param = `messages.${i}.content`;
    if (message.role === "system") {
      prompt.push(systemMessage(message.content, param));
      continue;
    }
    const blocks: readonly Block[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
    if (message.role === "assistant") {
      const content: AssistantContent = [];
      for (const [j, block] of blocks.entries()) {
        if (block.type === "text") content.push({ type: "text", text: block.text });
        else if (block.type === "thinking") content.push({ type: "reasoning", text: block.thinking });
        else if (block.type === "redacted_thinking") ignored.push("redacted_thinking");
        else if (block.type === "tool_use") {
          toolNames.set(block.id, block.name);
          content.push({
            type: "tool-call",
            toolCallId: block.id,
            toolName: block.name,
            input: block.input ?? {},
          });
        } else throw notHere(block.type, "an assistant message", `${param}.${j}`);
      }
      prompt.push({ role: "assistant", content });
      continue;
    }
    // A user message: its tool results become a tool message, the rest a user message, in order.
    let user: UserContent | undefined;
    for (const [j, block] of blocks.entries()) {
      const at = `${param}.${j}`;
      if (block.type === "tool_result") {
        user = undefined;
        const part = toolResult(block, toolNames.get(block.tool_use_id), at);
        const last = prompt.at(-1);
        if (last?.role === "tool") last.content.push(part);
        else prompt.push({ role: "tool", content: [part] });
        continue;
      }
      if (!user) {
        user = [];
        prompt.push({ role: "user", content: user });
      }
      user.push(userPart(block, at));
    }
  }
  return prompt;
}

function userPart(block: Block, param: string): UserContent[number] {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
    case "document": {
      const { source } = block;
      if (source.type === "text") return { type: "text", text: source.data };
      return source.type === "url"
        ? ({
            type: "file",
            mediaType: block.type === "image" ? "image/*" : "application/pdf",
            data: new URL(checkUrl(source.url, param)),
          } satisfies LanguageModelV3FilePart)
        : { type: "file", mediaType: source.media_type, data: source.data };
    }
    default:
      throw notHere(block.type, "a user message", param);
  }
}

function checkUrl(url: string, param: string): string {
  if (/^https?:\/\//.test(url)) return url;
  throw new RequestError(400, `${param}.source.url: expected an http(s) URL`, {
    param: `${param}.source.url`,
    code: "invalid_value",
  });
}

function toolResult(
  block: Extract<Block, { type: "tool_result" }>,
  toolName: string | undefined,
  param: string,
): LanguageModelV3ToolResultPart {
  if (toolName === undefined) {
    throw new RequestError(
      400,
      `${param}.tool_use_id: no earlier assistant message has a tool_use block with id "${block.tool_use_id}"`,
      { param: `${param}.tool_use_id`, code: "invalid_value" },
    );
  }
  const content = block.content ?? "";
  const base = { type: "tool-result" as const, toolCallId: block.tool_use_id, toolName };
  const texts =
    typeof content === "string" ? [content] : content.flatMap((b) => (b.type === "text" ? [b.text] : []));
  if (typeof content === "string" || texts.length === content.length) {
    const value = texts.join("\n");
    return { ...base, output: block.is_error ? { type: "error-text", value } : { type: "text", value } };
  }
  return {
    ...base,
    output: {
      type: "content",
      value: content.map((b) =>
        b.type === "text"
          ? ({ type: "text", text: b.text } satisfies LanguageModelV3TextPart)
          : b.source.type === "url"
            ? { type: "file-url" as const, url: checkUrl(b.source.url, param) }
            : { type: "file-data" as const, data: b.source.data, mediaType: b.source.media_type },
      ),
    },
  };
}

function notHere(type: string, where: string, param: string): RequestError {
  return new RequestError(400, `${param}: ${type} blocks cannot be in ${where}`, {
    param: `${param}.type`,
    code: "invalid_value",
  });
}
