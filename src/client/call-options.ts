import type { JSONSchema7 } from "@ai-sdk/provider";
import type { ModelMessage, ToolSet } from "ai";
import type { z } from "zod";

/** What every text call takes; a subset of the AI SDK's options under plainer names. */
export interface CallOptions {
  /** A model reference (`openai:gpt-4.1-mini`, a bare catalog name, an alias); default: the configured default. */
  model?: string;
  prompt?: string;
  messages?: ModelMessage[];
  system?: string;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** Tools the model may call. Without `execute` they come back as `toolCalls` for you to run. */
  tools?: ToolSet;
  toolChoice?: "auto" | "none" | "required" | { type: "tool"; toolName: string };
  /** Provider-specific options, passed through as the AI SDK's providerOptions. */
  providerOptions?: Record<string, Record<string, unknown>>;
  signal?: AbortSignal;
  /** Whole-call timeout; default from config (`timeoutMs`). */
  timeoutMs?: number;
  /** Retries on 429, 5xx and connection errors, honouring Retry-After; default from config (2). */
  maxRetries?: number;
}

export interface StructuredCallOptions<T> extends CallOptions {
  /** JSON output that must validate against this JSON Schema or zod schema. */
  schema: JSONSchema7 | z.ZodType<T>;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface CallResult {
  text: string;
  /** `provider:model` as resolved. */
  model: string;
  provider: string;
  usage: Usage;
  /** USD; null when the price or the token counts are unknown. */
  costUsd: number | null;
  latencyMs: number;
  finishReason: string;
  toolCalls: { toolCallId: string; toolName: string; input: unknown }[];
  /** Web sources the model cited (Perplexity, Gemini grounding...). */
  sources: { url: string; title?: string }[];
  warnings: string[];
}
