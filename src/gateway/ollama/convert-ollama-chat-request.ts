import type { LanguageModelV3CallOptions, LanguageModelV3Message } from "@ai-sdk/provider";
import { z } from "zod";
import { RequestError } from "../openai/request-error.ts";
import { convertOllamaOptions } from "./convert-ollama-options.ts";
import { convertOllamaThink } from "./convert-ollama-think.ts";
import { toOllamaImage } from "./to-ollama-image.ts";
import { toOllamaRequestError } from "./to-ollama-request-error.ts";

/** An Ollama /api/chat or /api/generate request, as the provider layer takes it. */
export interface OllamaCallRequest {
  callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
  /** Fields accepted without effect, for the `x-llmux-ignored` header. */
  ignored: string[];
  /** False when the client turned thinking off (`think: false`): reasoning is not shown. */
  showThinking: boolean;
}

// Fields of /api/chat that the translation honours; keep_alive is answered by the engine's own idle unload.
const CHAT_FIELDS = new Set(["model", "messages", "tools", "format", "options", "stream", "think"]);

const toolCall = z.object({
  id: z.string().optional(),
  function: z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).optional() }),
});
const message = z.object({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string().nullish(),
  images: z.array(z.string()).nullish(),
  thinking: z.string().nullish(),
  tool_calls: z.array(toolCall).nullish(),
  tool_name: z.string().nullish(),
  tool_call_id: z.string().nullish(),
});
const tool = z.object({
  type: z.literal("function").optional(),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});
const chat = z.object({
  messages: z.array(message),
  tools: z.array(tool).nullish(),
  think: z.union([z.boolean(), z.enum(["low", "medium", "high"])]).nullish(),
});

type Message = z.infer<typeof message>;

/**
 * Validates an Ollama /api/chat body for a model reached by translation and turns it into AI SDK
 * call options: messages of every role with their base64 images, tool calls (Ollama's arguments
 * are objects) and results, tools, `format`, and `options` (convertOllamaOptions).
 */
export function convertOllamaChatRequest(json: Record<string, unknown>): OllamaCallRequest {
  const parsed = chat.safeParse(json);
  if (!parsed.success) throw toOllamaRequestError(parsed.error);
  const { settings, ignored } = convertOllamaOptions(json);
  const tools = parsed.data.tools ?? [];
  return {
    callOptions: {
      ...settings,
      prompt: toPrompt(parsed.data.messages),
      providerOptions: convertOllamaThink(parsed.data.think),
      ...(tools.length > 0 && {
        tools: tools.map((t) => ({
          type: "function" as const,
          name: t.function.name,
          description: t.function.description,
          inputSchema: (t.function.parameters ?? { type: "object", properties: {} }) as never,
        })),
      }),
    },
    ignored: [
      ...Object.keys(json).filter((field) => !CHAT_FIELDS.has(field) && json[field] != null),
      ...ignored,
    ],
    showThinking: parsed.data.think !== false,
  };
}

function toPrompt(messages: readonly Message[]): LanguageModelV3Message[] {
  const prompt: LanguageModelV3Message[] = [];
  // Calls of the latest assistant turn not yet answered: Ollama's tool messages name the tool
  // (tool_name) or nothing, so results are matched by name, else in order.
  let pending: { id: string; name: string }[] = [];
  for (const [i, m] of messages.entries()) {
    const text = m.content ?? "";
    switch (m.role) {
      case "system":
        prompt.push({ role: "system", content: text });
        break;
      case "user":
        prompt.push({
          role: "user",
          content: [
            ...(text === "" && (m.images?.length ?? 0) > 0 ? [] : [{ type: "text" as const, text }]),
            ...(m.images ?? []).map((image, j) => toOllamaImage(image, `messages[${i}].images[${j}]`)),
          ],
        });
        break;
      case "assistant": {
        const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
        if (m.thinking) content.push({ type: "reasoning", text: m.thinking });
        if (text) content.push({ type: "text", text });
        pending = [];
        for (const [j, call] of (m.tool_calls ?? []).entries()) {
          const id = call.id ?? `call_${i}_${j}`;
          pending.push({ id, name: call.function.name });
          content.push({
            type: "tool-call",
            toolCallId: id,
            toolName: call.function.name,
            input: call.function.arguments ?? {},
          });
        }
        prompt.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const at = Math.max(
          0,
          pending.findIndex((p) =>
            m.tool_call_id ? p.id === m.tool_call_id : !m.tool_name || p.name === m.tool_name,
          ),
        );
        const call = pending[at];
        if (!call) {
          throw new RequestError(
            400,
            `invalid messages[${i}]: a tool message must answer a tool call of an earlier assistant message`,
            {
              param: `messages[${i}]`,
              code: "invalid_value",
            },
          );
        }
        pending.splice(at, 1);
        const result = {
          type: "tool-result" as const,
          toolCallId: call.id,
          toolName: call.name,
          output: { type: "text" as const, value: text },
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
