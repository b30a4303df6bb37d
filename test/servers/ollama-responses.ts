import type { ResponseSpec } from "./start-provider-server.ts";

// No recorded Ollama responses exist: these builders produce the minimal bodies that Ollama's
// documented API (github.com/ollama/ollama/blob/main/docs/api.md) shows, nothing more.
const CREATED_AT = "2025-01-01T00:00:00.000000000Z";

export interface OllamaChatOptions {
  model?: string;
  /** Tool calls the assistant makes (Ollama sends arguments as an object, not a string). */
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  promptEvalCount?: number;
  evalCount?: number;
  /** "stop" (default) or "length". */
  doneReason?: string;
}

/** Builders for Ollama response scripts; each answers both streaming and non-streaming requests. */
export const ollamaResponses = {
  /**
   * `/api/chat` replying `text`: streamed as one NDJSON line per word then a final line with
   * `done: true`, `done_reason`, the token counts and durations; whole as that final line with the full message.
   */
  chat(text: string, options: OllamaChatOptions = {}): ResponseSpec {
    const model = options.model ?? "llama3.2";
    const pieces = text.match(/\S+\s*|\s+/g) ?? [];
    const toolCalls = options.toolCalls?.map((call) => ({ function: call }));
    const stats = {
      done: true,
      done_reason: options.doneReason ?? "stop",
      total_duration: 500_000_000,
      load_duration: 10_000_000,
      prompt_eval_count: options.promptEvalCount ?? 10,
      prompt_eval_duration: 50_000_000,
      eval_count: options.evalCount ?? pieces.length,
      eval_duration: 400_000_000,
    };
    const line = (message: Record<string, unknown>) => ({
      model,
      created_at: CREATED_AT,
      message: { role: "assistant", ...message },
      done: false,
    });
    const chunks = pieces.map((content) => line({ content }));
    if (toolCalls) chunks.push(line({ content: "", tool_calls: toolCalls }));
    return {
      json: { ...line({ content: text, ...(toolCalls && { tool_calls: toolCalls }) }), ...stats },
      chunks: [...chunks, { ...line({ content: "" }), ...stats }],
    };
  },

  /**
   * `/api/generate` replying `text`: as `chat`, with the text in `response` instead of a message
   * (the final line's `context` left out).
   */
  generate(text: string, options: Pick<OllamaChatOptions, "model" | "evalCount"> = {}): ResponseSpec {
    const toGenerate = (line: unknown) => {
      const { message, ...rest } = line as { message: { content: string } };
      return { ...rest, response: message.content };
    };
    const chat = ollamaResponses.chat(text, options);
    return { json: toGenerate(chat.json), chunks: chat.chunks!.map(toGenerate) };
  },

  /** `/api/embed` returning `embeddings`, one vector per input. */
  embed(embeddings: number[][], options: { model?: string; promptEvalCount?: number } = {}): ResponseSpec {
    return {
      json: {
        model: options.model ?? "all-minilm",
        embeddings,
        total_duration: 14_143_917,
        load_duration: 1_019_500,
        prompt_eval_count: options.promptEvalCount ?? 8,
      },
    };
  },

  /** `GET /api/tags` listing the named local models. */
  tags(names: string[]): ResponseSpec {
    return {
      json: {
        models: names.map((name) => ({
          name,
          model: name,
          modified_at: CREATED_AT,
          size: 2_019_393_189,
          digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
          details: {
            parent_model: "",
            format: "gguf",
            family: "llama",
            families: ["llama"],
            parameter_size: "3.2B",
            quantization_level: "Q4_K_M",
          },
        })),
      },
    };
  },
};
