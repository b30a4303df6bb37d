import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { mapOllamaDoneReason } from "./map-ollama-done-reason.ts";

interface OllamaEncoderOptions {
  /** /api/chat answers with `message`, /api/generate with `response`. */
  kind: "chat" | "generate";
  /** The model name as the client sent it: Ollama echoes it. */
  model: string;
  showThinking: boolean;
  /** performance.now() when the gateway took the request (total_duration). */
  started: number;
}

interface ToolCall {
  id: string;
  function: { index: number; name: string; arguments: unknown };
}

const NS_PER_MS = 1e6;

/**
 * Turns the provider layer's stream parts into Ollama's answer: one NDJSON line per text,
 * thinking or tool-call part (`line`), then the final `done: true` line with Ollama's counts and
 * durations in nanoseconds (`finish`), or all of it as one object (`whole`) for `stream: false`.
 */
export function createOllamaEncoder(options: OllamaEncoderOptions) {
  const { kind, model } = options;
  let opened = performance.now();
  let firstOutput = 0;
  let content = "";
  let thinking = "";
  const toolCalls: ToolCall[] = [];
  let usage: LanguageModelV3Usage | undefined;
  let finishReason: Extract<LanguageModelV3StreamPart, { type: "finish" }>["finishReason"] | undefined;

  const head = () => ({ model, created_at: new Date().toISOString() });
  const body = (text: string, think: string, calls: ToolCall[]) =>
    kind === "chat"
      ? {
          message: {
            role: "assistant",
            content: text,
            ...(think && { thinking: think }),
            ...(calls.length > 0 && { tool_calls: calls }),
          },
        }
      : { response: text, ...(think && { thinking: think }) };
  const stats = () => {
    const now = performance.now();
    const first = firstOutput || now;
    return {
      done: true,
      done_reason: mapOllamaDoneReason(finishReason),
      total_duration: Math.round((now - options.started) * NS_PER_MS),
      load_duration: Math.round(Math.max(0, opened - options.started) * NS_PER_MS),
      prompt_eval_count: usage?.inputTokens.total ?? 0,
      prompt_eval_duration: Math.round((first - opened) * NS_PER_MS),
      eval_count: usage?.outputTokens.total ?? 0,
      eval_duration: Math.round((now - first) * NS_PER_MS),
    };
  };
  const output = (text: string, think: string, calls: ToolCall[]) => {
    firstOutput ||= performance.now();
    content += text;
    thinking += think;
    toolCalls.push(...calls);
    return `${JSON.stringify({ ...head(), ...body(text, think, calls), done: false })}\n`;
  };

  return {
    /** The stream of parts has begun: what came before was loading (the model, the connection). */
    opened(): void {
      opened = performance.now();
    },
    /** The NDJSON line for one part; empty when the part shows nothing to the client. */
    line(part: LanguageModelV3StreamPart): string {
      switch (part.type) {
        case "text-delta":
          return part.delta === "" ? "" : output(part.delta, "", []);
        case "reasoning-delta":
          return part.delta === "" || !options.showThinking ? "" : output("", part.delta, []);
        case "tool-call": {
          if (kind !== "chat") return "";
          const call = {
            id: part.toolCallId,
            function: { index: toolCalls.length, name: part.toolName, arguments: parseArguments(part.input) },
          };
          return output("", "", [call]);
        }
        case "finish":
          usage = part.usage;
          finishReason = part.finishReason;
          return "";
        default:
          return "";
      }
    },
    /** The last line of a stream. */
    finish(): string {
      return `${JSON.stringify({ ...head(), ...body("", "", []), ...stats() })}\n`;
    },
    /** The whole answer, for `stream: false`. */
    whole(): string {
      return JSON.stringify({ ...head(), ...body(content, thinking, toolCalls), ...stats() });
    },
    usage(): LanguageModelV3Usage | undefined {
      return usage;
    },
  };
}

// Ollama's tool calls carry their arguments as an object; the provider layer has them as JSON text.
function parseArguments(input: string): unknown {
  try {
    return input.trim() === "" ? {} : JSON.parse(input);
  } catch {
    return {};
  }
}
