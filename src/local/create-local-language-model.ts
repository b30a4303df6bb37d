import { basename } from "node:path";
import type {
  JSONSchema7,
  JSONValue,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import {
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type GbnfJsonSchema,
  type LLamaContextualRepeatPenalty,
  LlamaChat,
  type LlamaChatResponseChunk,
  LlamaCompletion,
  type LlamaGrammar,
} from "node-llama-cpp";
import { LlmuxError } from "../core/errors.ts";
import {
  type LoadedLocalModel,
  type LocalEngine,
  type LocalSequenceLease,
  localEngine,
} from "./local-engine.ts";

interface LocalLanguageModelSettings {
  /** The id reported to the AI SDK; the file name by default. */
  modelId?: string;
  /** The engine that loads and runs the model; the process-wide one by default. */
  engine?: LocalEngine;
}

type Emit = (part: LanguageModelV3StreamPart) => void;
type StopReason =
  | "eogToken"
  | "stopGenerationTrigger"
  | "customStopTrigger"
  | "functionCalls"
  | "maxTokens"
  | "abort";

interface Plan {
  warnings: SharedV3Warning[];
  /** Tools the model may call on its own, through its chat template's function-calling syntax. */
  functions: ChatModelFunctions | undefined;
  /** A tool the caller forces: the model only writes its arguments, under a grammar. */
  forcedTool: LanguageModelV3FunctionTool[] | undefined;
  jsonSchema: JSONSchema7 | "any" | undefined;
}

/**
 * An AI SDK language model that runs a GGUF file in this process through node-llama-cpp: chat
 * through the model's own chat template, plain completion for models without one, streaming,
 * JSON output forced by a grammar, and tool calls returned to the caller (never executed here).
 */
export function createLocalLanguageModel(
  modelPath: string,
  settings: LocalLanguageModelSettings = {},
): LanguageModelV3 {
  const engine = settings.engine ?? localEngine;
  const modelId = settings.modelId ?? basename(modelPath);

  const doStream = async (options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> => {
    const plan = planCall(options);
    const lease = await engine.acquireSequence(modelPath, options.abortSignal);
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        const emit: Emit = (part) => controller.enqueue(part);
        emit({ type: "stream-start", warnings: plan.warnings });
        emit({ type: "response-metadata", modelId, timestamp: new Date() });
        run(lease, options, plan, emit).then(
          () => controller.close(),
          (error: unknown) =>
            controller.error(
              options.abortSignal?.aborted ? options.abortSignal.reason : generationError(error, lease),
            ),
        );
      },
    });
    return { stream, request: { body: { modelPath } } };
  };

  return {
    specificationVersion: "v3",
    provider: "local",
    modelId,
    supportedUrls: {},
    doStream,
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const { stream } = await doStream(options);
      return collect(stream);
    },
  };
}

function planCall(options: LanguageModelV3CallOptions): Plan {
  const warnings: SharedV3Warning[] = [];
  const tools: LanguageModelV3FunctionTool[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === "function") tools.push(tool);
    else warnings.push({ type: "unsupported", feature: `provider tool ${tool.id}` });
  }
  const choice = options.toolChoice ?? { type: "auto" };
  let functions: ChatModelFunctions | undefined;
  let forcedTool: LanguageModelV3FunctionTool[] | undefined;
  if (tools.length > 0 && choice.type === "auto") {
    functions = Object.fromEntries(
      tools.map((tool) => [
        tool.name,
        { description: tool.description, params: toGbnfSchema(tool.inputSchema) },
      ]),
    );
  } else if (tools.length > 0 && choice.type === "required") {
    forcedTool = tools;
  } else if (choice.type === "tool") {
    const tool = tools.find((t) => t.name === choice.toolName);
    if (!tool)
      throw new LlmuxError(
        "bad_request",
        `toolChoice names "${choice.toolName}", which is not among the tools`,
      );
    forcedTool = [tool];
  }
  let jsonSchema: Plan["jsonSchema"];
  if (options.responseFormat?.type === "json") {
    if (functions || forcedTool) {
      warnings.push({
        type: "unsupported",
        feature: "responseFormat",
        details: "JSON output is not forced when tools are given",
      });
    } else {
      jsonSchema = options.responseFormat.schema ?? "any";
    }
  }
  return { warnings, functions, forcedTool, jsonSchema };
}

async function run(
  lease: LocalSequenceLease,
  options: LanguageModelV3CallOptions,
  plan: Plan,
  emit: Emit,
): Promise<void> {
  try {
    const { loaded, sequence } = lease;
    const meterBefore = sequence.tokenMeter.getState();
    const parts = new PartWriter(emit);
    const common = {
      signal: options.abortSignal,
      maxTokens: options.maxOutputTokens ?? loaded.contextSize,
      temperature: options.temperature,
      topP: options.topP,
      topK: options.topK,
      seed: options.seed,
      repeatPenalty: repeatPenalty(options),
      customStopTriggers: options.stopSequences?.filter((s) => s.length > 0),
    };
    let stopReason: StopReason;
    let promptTokens: number;
    let forced = false;
    if (!loaded.chatWrapper) {
      if (plan.functions || plan.forcedTool) {
        throw new LlmuxError(
          "unsupported",
          `${basename(loaded.path)} has no chat template, so it cannot call tools`,
          {
            hint: "Use a chat model, or call it without tools",
          },
        );
      }
      const prompt = completionPrompt(options.prompt, plan.warnings);
      const { model } = loaded;
      promptTokens = model.tokenize(prompt, false).length + (model.tokens.shouldPrependBosToken ? 1 : 0);
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const result = await completion.generateCompletionWithMeta(prompt, {
        ...common,
        grammar: await grammarFor(loaded, plan.jsonSchema),
        onTextChunk: (text) => parts.text(text),
      });
      stopReason = result.metadata.stopReason;
    } else {
      const history = toChatHistory(options.prompt, plan);
      const chatWrapper = loaded.chatWrapper;
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
      const onResponseChunk = (chunk: LlamaChatResponseChunk) => {
        if (chunk.type === "segment") parts.reasoning(chunk.text);
        // a forced tool call's arguments arrive as text; they become the tool call at the end
        else if (!plan.forcedTool) parts.text(chunk.text);
      };
      const schema = plan.forcedTool ? forcedToolSchema(plan.forcedTool) : plan.jsonSchema;
      const grammar = await grammarFor(loaded, schema);
      promptTokens = chatWrapper
        .generateContextState({ chatHistory: withOpenResponse(history), availableFunctions: plan.functions })
        .contextText.tokenize(loaded.model.tokenizer).length;
      if (grammar) {
        const result = await chat.generateResponse(history, { ...common, grammar, onResponseChunk });
        stopReason = result.metadata.stopReason;
        if (plan.forcedTool && stopReason !== "maxTokens") {
          forced = true;
          const call = parseForcedCall(plan.forcedTool, result.response);
          parts.toolCall(0, call.name, call.input);
        }
      } else {
        const result = await chat.generateResponse(history, {
          ...common,
          functions: plan.functions,
          onResponseChunk,
          onFunctionCallParamsChunk: (chunk) =>
            parts.toolInput(chunk.callIndex, chunk.functionName, chunk.paramsChunk),
        });
        stopReason = result.metadata.stopReason;
        result.functionCalls?.forEach((call, index) => {
          parts.toolCall(index, call.functionName, call.params ?? {});
        });
      }
    }
    parts.end();
    const used = sequence.tokenMeter.diff(meterBefore);
    // The meter counts the prompt's last token as output (it yields logits); move it back.
    const evaluated = Math.min(promptTokens, used.usedInputTokens + (used.usedOutputTokens > 0 ? 1 : 0));
    emit({
      type: "finish",
      finishReason: finishReason(forced || parts.hasToolCalls ? "functionCalls" : stopReason),
      usage: usage(promptTokens, evaluated, used.usedOutputTokens),
    });
  } finally {
    lease.release();
  }
}

/** Turns node-llama-cpp's callbacks into AI SDK stream parts, opening and closing blocks as needed. */
class PartWriter {
  private open: { kind: "text" | "reasoning"; id: string } | undefined;
  private blocks = 0;
  private readonly toolIds = new Map<number, string>();
  hasToolCalls = false;

  constructor(private readonly emit: Emit) {}

  text(delta: string): void {
    this.delta("text", delta);
  }

  reasoning(delta: string): void {
    this.delta("reasoning", delta);
  }

  toolInput(index: number, toolName: string, delta: string): void {
    this.close();
    const id = this.toolId(index, toolName);
    if (delta) this.emit({ type: "tool-input-delta", id, delta });
  }

  toolCall(index: number, toolName: string, input: unknown): void {
    this.close();
    const id = this.toolId(index, toolName);
    this.emit({ type: "tool-input-end", id });
    this.emit({ type: "tool-call", toolCallId: id, toolName, input: JSON.stringify(input) });
    this.hasToolCalls = true;
  }

  end(): void {
    this.close();
  }

  private toolId(index: number, toolName: string): string {
    let id = this.toolIds.get(index);
    if (!id) {
      id = `call-${crypto.randomUUID()}`;
      this.toolIds.set(index, id);
      this.emit({ type: "tool-input-start", id, toolName });
    }
    return id;
  }

  private delta(kind: "text" | "reasoning", delta: string): void {
    if (!delta) return;
    if (this.open?.kind !== kind) {
      this.close();
      this.open = { kind, id: String(this.blocks++) };
      this.emit({ type: kind === "text" ? "text-start" : "reasoning-start", id: this.open.id });
    }
    const id = this.open.id;
    this.emit(kind === "text" ? { type: "text-delta", id, delta } : { type: "reasoning-delta", id, delta });
  }

  private close(): void {
    if (!this.open) return;
    const { kind, id } = this.open;
    this.emit({ type: kind === "text" ? "text-end" : "reasoning-end", id });
    this.open = undefined;
  }
}

/** A model without a chat template only continues text: the prompt's texts, in order. */
function completionPrompt(prompt: LanguageModelV3Prompt, warnings: SharedV3Warning[]): string {
  const texts = prompt.flatMap((message) => {
    if (message.role === "system") return [message.content];
    if (message.role === "tool") return [];
    return message.content.flatMap((part) => (part.type === "text" ? [part.text] : []));
  });
  if (prompt.length > 1) {
    warnings.push({
      type: "compatibility",
      feature: "chat messages",
      details: "the model has no chat template; the messages were joined as plain text to continue",
    });
  }
  return texts.join("\n");
}

function toChatHistory(prompt: LanguageModelV3Prompt, plan: Plan): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const message of prompt) {
    if (message.role === "system") {
      history.push({ type: "system", text: message.content });
    } else if (message.role === "user") {
      const text = message.content.map((part) => {
        if (part.type === "text") return part.text;
        throw new LlmuxError(
          "unsupported",
          `Local models take text only; the prompt has a ${part.mediaType} file`,
        );
      });
      history.push({ type: "user", text: text.join("\n") });
    } else if (message.role === "assistant") {
      const response: Extract<ChatHistoryItem, { type: "model" }>["response"] = [];
      for (const part of message.content) {
        if (part.type === "text") response.push(part.text);
        else if (part.type === "reasoning")
          response.push({ type: "segment", segmentType: "thought", text: part.text, ended: true });
        else if (part.type === "tool-call") {
          const call: ChatModelFunctionCall = {
            type: "functionCall",
            name: part.toolName,
            params: part.input,
            result: undefined,
          };
          calls.set(part.toolCallId, call);
          response.push(call);
        } else if (part.type === "tool-result") {
          const call = calls.get(part.toolCallId);
          if (call) call.result = toolResult(part.output);
        }
      }
      history.push({ type: "model", response });
    } else {
      for (const part of message.content) {
        if (part.type !== "tool-result") continue;
        const call = calls.get(part.toolCallId);
        if (call) call.result = toolResult(part.output);
      }
    }
  }
  if (plan.forcedTool) {
    history.push({ type: "system", text: forcedToolInstruction(plan.forcedTool) });
  }
  return history;
}

function withOpenResponse(history: ChatHistoryItem[]): ChatHistoryItem[] {
  return history.at(-1)?.type === "model" ? history : [...history, { type: "model", response: [] }];
}

function toolResult(output: LanguageModelV3ToolResultOutput): JSONValue {
  switch (output.type) {
    case "text":
    case "json":
      return output.value;
    case "error-text":
    case "error-json":
      return { error: output.value };
    case "execution-denied":
      return { error: `The call was denied${output.reason ? `: ${output.reason}` : ""}` };
    case "content":
      return output.value.map((item) => (item.type === "text" ? item.text : `[${item.type}]`)).join("\n");
  }
}

function forcedToolInstruction(tools: LanguageModelV3FunctionTool[]): string {
  const list = tools
    .map((tool) => `- ${tool.name}${tool.description ? `: ${tool.description}` : ""}`)
    .join("\n");
  return tools.length === 1
    ? `Call the tool ${list.slice(2)}\nReply with only its arguments, as JSON.`
    : `Call one of these tools:\n${list}\nReply with only JSON: {"name": <tool name>, "arguments": <its arguments>}.`;
}

/** One tool: its arguments directly. Several: a choice of `{name, arguments}` objects. */
function forcedToolSchema(tools: LanguageModelV3FunctionTool[]): JSONSchema7 {
  const [only] = tools;
  if (tools.length === 1 && only) return only.inputSchema;
  return {
    oneOf: tools.map((tool) => ({
      type: "object",
      properties: { name: { const: tool.name }, arguments: tool.inputSchema },
      required: ["name", "arguments"],
    })),
  };
}

function parseForcedCall(
  tools: LanguageModelV3FunctionTool[],
  text: string,
): { name: string; input: unknown } {
  const value: unknown = JSON.parse(text);
  const [only] = tools;
  if (tools.length === 1 && only) return { name: only.name, input: value };
  const call = value as { name: string; arguments: unknown };
  return { name: call.name, input: call.arguments };
}

async function grammarFor(
  loaded: LoadedLocalModel,
  schema: JSONSchema7 | "any" | undefined,
): Promise<LlamaGrammar | undefined> {
  if (schema === undefined) return undefined;
  if (schema === "any") return loaded.llama.getGrammarFor("json");
  try {
    return await loaded.llama.createGrammarForJsonSchema<GbnfJsonSchema>(toGbnfSchema(schema));
  } catch (error) {
    throw new LlmuxError(
      "unsupported",
      `This JSON schema cannot be turned into a llama.cpp grammar: ${String(error)}`,
      {
        hint: "Simplify the schema (plain objects, arrays, strings, numbers, enums)",
        cause: error,
      },
    );
  }
}

// node-llama-cpp reads the JSON Schema subset it supports and ignores annotations like $schema.
function toGbnfSchema(schema: JSONSchema7): GbnfJsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest as GbnfJsonSchema;
}

function repeatPenalty(options: LanguageModelV3CallOptions): false | LLamaContextualRepeatPenalty {
  const { presencePenalty, frequencyPenalty } = options;
  // llama.cpp's own servers apply no repeat penalty unless asked; neither do we.
  if (!presencePenalty && !frequencyPenalty) return false;
  return { penalty: 1, presencePenalty, frequencyPenalty };
}

function finishReason(stopReason: StopReason): LanguageModelV3FinishReason {
  const unified = (
    {
      eogToken: "stop",
      stopGenerationTrigger: "stop",
      customStopTrigger: "stop",
      functionCalls: "tool-calls",
      maxTokens: "length",
      abort: "other",
    } as const
  )[stopReason];
  return { unified, raw: stopReason };
}

function usage(promptTokens: number, evaluated: number, output: number): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: promptTokens,
      noCache: evaluated,
      cacheRead: promptTokens - evaluated,
      cacheWrite: undefined,
    },
    outputTokens: { total: output, text: undefined, reasoning: undefined },
  };
}

function generationError(error: unknown, lease: LocalSequenceLease): unknown {
  if (error instanceof LlmuxError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/context size|context shift/i.test(message)) {
    return new LlmuxError(
      "bad_request",
      `The prompt does not fit the model's context of ${lease.loaded.contextSize} tokens`,
      {
        hint: "Shorten the prompt, pass fewer tools, or raise contextSize if the model was trained on more",
        cause: error,
      },
    );
  }
  return new LlmuxError("provider_error", `llama.cpp failed: ${message}`, { cause: error });
}

async function collect(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<LanguageModelV3GenerateResult> {
  const content: LanguageModelV3Content[] = [];
  let warnings: SharedV3Warning[] = [];
  let finish: Extract<LanguageModelV3StreamPart, { type: "finish" }> | undefined;
  let modelId: string | undefined;
  let timestamp: Date | undefined;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const part = next.value;
    const last = content.at(-1);
    switch (part.type) {
      case "stream-start":
        warnings = part.warnings;
        break;
      case "response-metadata":
        modelId = part.modelId;
        timestamp = part.timestamp;
        break;
      case "text-start":
        content.push({ type: "text", text: "" });
        break;
      case "reasoning-start":
        content.push({ type: "reasoning", text: "" });
        break;
      case "text-delta":
      case "reasoning-delta":
        if (last?.type === "text" || last?.type === "reasoning") last.text += part.delta;
        break;
      case "tool-call":
        content.push(part);
        break;
      case "finish":
        finish = part;
        break;
    }
  }
  if (!finish) throw new LlmuxError("internal", "The local model stream ended without finishing");
  return {
    content,
    finishReason: finish.finishReason,
    usage: finish.usage,
    warnings,
    response: { modelId, timestamp },
  };
}
