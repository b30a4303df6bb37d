import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
} from "@ai-sdk/provider";
import { fromDataUrl } from "../openai/from-data-url.ts";
import { parseToolArguments } from "../openai/parse-tool-arguments.ts";
import { RequestError } from "../openai/request-error.ts";
import type { ResponsesInputItem } from "./parse-responses-request.ts";

type AssistantContent = Extract<LanguageModelV3Message, { role: "assistant" }>["content"];
type MessageItem = Extract<ResponsesInputItem, { type: "message" }>;
type Part = Exclude<MessageItem["content"], string>[number];

/**
 * The provider layer's prompt for Responses input items: `instructions` first as the system
 * message, system and developer messages as system messages, an assistant message and the
 * function calls after it as one assistant turn, consecutive function_call_outputs as one tool
 * message (Anthropic wants a turn's results together). The first `earlier` items are those of
 * previous responses: errors name the request's own items as `input[i]`.
 */
export function convertResponsesInputToPrompt(
  instructions: string | undefined,
  items: readonly ResponsesInputItem[],
  earlier = 0,
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [];
  if (instructions) prompt.push({ role: "system", content: instructions });
  const toolNames = new Map<string, string>();
  const assistantTurn = (): AssistantContent => {
    const last = prompt.at(-1);
    if (last?.role === "assistant") return last.content;
    const content: AssistantContent = [];
    prompt.push({ role: "assistant", content });
    return content;
  };
  for (const [i, item] of items.entries()) {
    const at = `input[${i - earlier}]`;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          prompt.push({ role: "system", content: textOf(item.content, at) });
        } else if (item.role === "assistant") {
          const text = textOf(item.content, at);
          if (text) assistantTurn().push({ type: "text", text });
        } else {
          prompt.push({
            role: "user",
            content:
              typeof item.content === "string"
                ? [{ type: "text", text: item.content }]
                : item.content.map((part, j) => toUserPart(part, `${at}.content[${j}]`)),
          });
        }
        break;
      case "function_call":
        toolNames.set(item.call_id, item.name);
        assistantTurn().push({
          type: "tool-call",
          toolCallId: item.call_id,
          toolName: item.name,
          input: parseToolArguments(item.arguments, `${at}.arguments`),
        });
        break;
      case "function_call_output": {
        const toolName = toolNames.get(item.call_id);
        if (toolName === undefined) {
          throw new RequestError(
            400,
            `No tool call found for function call output with call_id ${item.call_id}.`,
            {
              param: `${at}.call_id`,
              code: "invalid_value",
            },
          );
        }
        const value =
          typeof item.output === "string"
            ? item.output
            : item.output.map((part, j) => textOnly(part, `${at}.output[${j}]`)).join("");
        const result = {
          type: "tool-result" as const,
          toolCallId: item.call_id,
          toolName,
          output: { type: "text" as const, value },
        };
        const last = prompt.at(-1);
        if (last?.role === "tool") last.content.push(result);
        else prompt.push({ role: "tool", content: [result] });
        break;
      }
      case "reasoning":
        break;
    }
  }
  return prompt;
}

// The text of a system, developer or assistant message (they take no images or files).
function textOf(content: MessageItem["content"], at: string): string {
  return typeof content === "string"
    ? content
    : content.map((part, j) => textOnly(part, `${at}.content[${j}]`)).join("");
}

function textOnly(part: Part, param: string): string {
  if (part.type === "input_text" || part.type === "output_text") return part.text;
  if (part.type === "refusal") return part.refusal;
  throw new RequestError(
    400,
    `Unsupported value for ${param}.type: ${part.type} is only taken in user messages`,
    {
      param: `${param}.type`,
      code: "unsupported_parameter",
    },
  );
}

function toUserPart(part: Part, param: string): LanguageModelV3TextPart | LanguageModelV3FilePart {
  switch (part.type) {
    case "input_image": {
      const url = part.image_url;
      if (url?.startsWith("data:")) return fromDataUrl(url, `${param}.image_url`);
      if (url && /^https?:\/\//.test(url)) return { type: "file", mediaType: "image/*", data: new URL(url) };
      return noFileIds(part.file_id, param, "image_url");
    }
    case "input_file": {
      if (part.file_data) {
        const file = fromDataUrl(part.file_data, `${param}.file_data`);
        return part.filename ? { ...file, filename: part.filename } : file;
      }
      return noFileIds(part.file_id, param, "file_data");
    }
    default:
      return { type: "text", text: textOnly(part, param) };
  }
}

function noFileIds(fileId: string | null | undefined, param: string, field: string): never {
  if (fileId) {
    throw new RequestError(
      400,
      `Unsupported value for ${param}.file_id: uploaded file ids cannot be used through the gateway; send ${field} as a data: URL`,
      { param: `${param}.file_id`, code: "unsupported_parameter" },
    );
  }
  throw new RequestError(400, `Invalid value for ${param}: give ${field} as an http(s) or data: URL`, {
    param: `${param}.${field}`,
    code: "invalid_value",
  });
}
