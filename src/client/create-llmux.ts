import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import {
  embedMany,
  generateText,
  jsonSchema,
  type LanguageModelUsage,
  Output,
  type Schema,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from "ai";
import { priceCall } from "../catalog/price-call.ts";
import type { LlmuxError } from "../core/errors.ts";
import { type LlmuxConfig, type LoadConfigOptions, loadConfig } from "../core/load-config.ts";
import {
  createProviderRegistry,
  type ProviderRegistry,
  type ResolvedModel,
} from "../providers/provider-registry.ts";
import type { UsageRow } from "../store/usage-log.ts";
import type { CallOptions, CallResult, StructuredCallOptions, Usage } from "./call-options.ts";
import { toLlmuxError } from "./to-llmux-error.ts";

export type UsageSink = (row: UsageRow) => void;

export interface LlmuxOptions extends LoadConfigOptions {
  config?: LlmuxConfig;
  /** Receives a row per call (the CLI and gateway write them to the usage log). */
  onUsage?: UsageSink;
  usageSource?: UsageRow["source"];
}

export interface StreamResult {
  /** Text deltas as they arrive. Iterate it once. */
  textStream: AsyncIterable<string>;
  /** Settles when the stream ends: the whole text, usage, cost. Rejects with an LlmuxError. */
  result: Promise<CallResult & { timeToFirstTokenMs: number | null }>;
}

export interface EmbedResult {
  embeddings: number[][];
  model: string;
  usage: { inputTokens: number | null };
  costUsd: number | null;
  latencyMs: number;
}

export interface Llmux {
  readonly registry: ProviderRegistry;
  generate(options: CallOptions): Promise<CallResult>;
  generateObject<T = unknown>(options: StructuredCallOptions<T>): Promise<CallResult & { object: T }>;
  stream(options: CallOptions): StreamResult;
  embed(options: { model: string; values: string[]; signal?: AbortSignal }): Promise<EmbedResult>;
}

/** One llmux: configuration, the provider registry and the usage sink, shared by every call. */
export function createLlmux(options: LlmuxOptions = {}): Llmux {
  const config = options.config ?? loadConfig(options);
  const registry = createProviderRegistry(config);
  const source = options.usageSource ?? "library";

  const prepare = (call: CallOptions) => {
    const resolved = registry.resolve(registry.defaultModel(call.model));
    const started = performance.now();
    let model: ReturnType<typeof registry.languageModel>;
    try {
      model = registry.languageModel(resolved);
    } catch (error) {
      // A missing key is a failed call of the model asked for: logged and counted like any other.
      return fail(error, resolved, started);
    }
    const timeoutMs = call.timeoutMs ?? config.file.timeoutMs;
    const signal = call.signal
      ? AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    const settings = {
      model,
      ...(call.messages ? { messages: call.messages } : { prompt: call.prompt ?? "" }),
      system: call.system,
      temperature: call.temperature,
      topP: call.topP,
      topK: call.topK,
      maxOutputTokens: call.maxTokens,
      stopSequences: call.stop,
      seed: call.seed,
      tools: call.tools,
      toolChoice: call.toolChoice,
      providerOptions: call.providerOptions as never,
      maxRetries: call.maxRetries ?? config.file.maxRetries,
      abortSignal: signal,
    };
    return { resolved, settings, started };
  };

  const errorFor = (error: unknown, resolved: ResolvedModel) =>
    toLlmuxError(error, {
      reference: resolved.reference,
      providerLabel: resolved.definition.label,
      keyEnv: resolved.definition.keyEnv,
      env: config.env,
    });

  const record = (
    resolved: ResolvedModel,
    started: number,
    outcome: UsageRow["outcome"],
    usage: Usage & { cachedInputTokens?: number },
    error?: LlmuxError,
  ) => {
    // A call that failed without using a token (refused, no key, unreachable) cost nothing; one
    // stopped midway may have, so its cost stays unknown unless the provider reported the tokens.
    const nothingUsed =
      outcome === "error" &&
      error?.kind !== "timeout" &&
      usage.inputTokens === null &&
      usage.outputTokens === null;
    const costUsd = nothingUsed
      ? 0
      : priceCall(resolved, config.file.prices, {
          inputTokens: usage.inputTokens ?? undefined,
          outputTokens: usage.outputTokens ?? undefined,
          cachedInputTokens: usage.cachedInputTokens,
        });
    const latencyMs = Math.round(performance.now() - started);
    options.onUsage?.({
      time: new Date(),
      provider: resolved.provider,
      model: resolved.modelId,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd,
      latencyMs,
      outcome,
      errorKind: error?.kind ?? null,
      source,
      gatewayKeyId: null,
    });
    return { costUsd, latencyMs };
  };

  const fail = (error: unknown, resolved: ResolvedModel, started: number): never => {
    const mapped = errorFor(error, resolved);
    record(
      resolved,
      started,
      mapped.kind === "aborted" ? "aborted" : "error",
      { inputTokens: null, outputTokens: null },
      mapped,
    );
    throw mapped;
  };

  async function run(call: CallOptions, schema?: StructuredCallOptions<unknown>["schema"]) {
    const { resolved, settings, started } = prepare(call);
    try {
      const output = schema ? Output.object({ schema: toSchema(schema) }) : undefined;
      const result = await generateText({ ...settings, ...(output ? { output } : {}) });
      const usage = toUsage(result.totalUsage);
      const { costUsd, latencyMs } = record(resolved, started, "ok", {
        ...usage,
        cachedInputTokens: cachedInputTokens(result.totalUsage),
      });
      const callResult: CallResult = {
        text: result.text,
        model: resolved.reference,
        provider: resolved.provider,
        usage,
        costUsd,
        latencyMs,
        finishReason: result.finishReason,
        toolCalls: result.toolCalls.map((c) => ({
          toolCallId: c.toolCallId,
          toolName: c.toolName,
          input: c.input,
        })),
        sources: sourcesOf(result.sources),
        warnings: (result.warnings ?? []).map(describeWarning),
      };
      return { callResult, object: schema ? (result.output as unknown) : undefined };
    } catch (error) {
      return fail(error, resolved, started);
    }
  }

  return {
    registry,
    generate: async (call) => (await run(call)).callResult,
    generateObject: async <T>(call: StructuredCallOptions<T>) => {
      const { callResult, object } = await run(call, call.schema);
      return { ...callResult, object: object as T };
    },
    stream: (call) => {
      const { resolved, settings, started } = prepare(call);
      let settle!: { resolve: (r: Awaited<StreamResult["result"]>) => void; reject: (e: unknown) => void };
      const result = new Promise<Awaited<StreamResult["result"]>>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // A caller that only iterates textStream must not get an unhandled rejection.
      result.catch(() => {});
      async function* textStream(): AsyncGenerator<string> {
        let text = "";
        let firstTokenAt: number | null = null;
        let finish: { reason: string; usage: LanguageModelUsage } | undefined;
        let streamError: unknown;
        let aborted = false;
        const toolCalls: CallResult["toolCalls"] = [];
        const sources: CallResult["sources"] = [];
        try {
          const streamed = streamText({ ...settings, onError: () => {} });
          for await (const part of streamed.fullStream as AsyncIterable<TextStreamPart<ToolSet>>) {
            if (part.type === "text-delta") {
              firstTokenAt ??= performance.now();
              text += part.text;
              yield part.text;
            } else if (part.type === "tool-call") {
              toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
            } else if (part.type === "source" && part.sourceType === "url") {
              sources.push({ url: part.url, title: part.title });
            } else if (part.type === "finish") {
              finish = { reason: part.finishReason, usage: part.totalUsage };
            } else if (part.type === "error") {
              streamError = part.error;
            } else if (part.type === "abort") {
              aborted = true;
            }
          }
        } catch (error) {
          streamError = error;
        }
        if (streamError !== undefined || (aborted && !finish)) {
          try {
            fail(
              streamError ?? settings.abortSignal.reason ?? new DOMException("aborted", "AbortError"),
              resolved,
              started,
            );
          } catch (mapped) {
            settle.reject(mapped);
            throw mapped;
          }
        }
        const usage = toUsage(finish?.usage);
        const { costUsd, latencyMs } = record(resolved, started, "ok", {
          ...usage,
          cachedInputTokens: cachedInputTokens(finish?.usage),
        });
        settle.resolve({
          text,
          model: resolved.reference,
          provider: resolved.provider,
          usage,
          costUsd,
          latencyMs,
          finishReason: finish?.reason ?? "unknown",
          toolCalls,
          sources,
          warnings: [],
          timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
        });
      }
      return { textStream: textStream(), result };
    },
    embed: async ({ model: reference, values, signal }) => {
      const resolved = registry.resolve(reference);
      const started = performance.now();
      let model: EmbeddingModelV3;
      try {
        model = registry.embeddingModel(resolved);
        const result = await embedMany({
          model,
          values,
          abortSignal: signal,
          maxRetries: config.file.maxRetries,
        });
        const inputTokens = result.usage?.tokens ?? null;
        const { costUsd, latencyMs } = record(resolved, started, "ok", { inputTokens, outputTokens: 0 });
        return {
          embeddings: result.embeddings,
          model: resolved.reference,
          usage: { inputTokens },
          costUsd,
          latencyMs,
        };
      } catch (error) {
        return fail(error, resolved, started);
      }
    },
  };
}

function toSchema(
  schema: StructuredCallOptions<unknown>["schema"],
): Schema<unknown> | StructuredCallOptions<unknown>["schema"] {
  // zod schemas carry `_zod` (v4) or `_def` (v3); anything else is a plain JSON Schema.
  return typeof schema === "object" && schema !== null && ("_zod" in schema || "_def" in schema)
    ? schema
    : jsonSchema(schema as Parameters<typeof jsonSchema>[0]);
}

function toUsage(usage: LanguageModelUsage | undefined): Usage {
  return { inputTokens: usage?.inputTokens ?? null, outputTokens: usage?.outputTokens ?? null };
}

/** The input tokens the provider served from its prompt cache, billed at the cache rate. */
function cachedInputTokens(usage: LanguageModelUsage | undefined): number | undefined {
  return usage?.inputTokenDetails?.cacheReadTokens;
}

function sourcesOf(
  sources: readonly { sourceType: string; url?: string; title?: string }[],
): CallResult["sources"] {
  return sources.flatMap((s) => (s.sourceType === "url" && s.url ? [{ url: s.url, title: s.title }] : []));
}

function describeWarning(warning: unknown): string {
  const w = warning as { type?: string; setting?: string; feature?: string; message?: string };
  return w.message ?? [w.type, w.setting ?? w.feature].filter(Boolean).join(": ");
}
