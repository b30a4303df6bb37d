import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { createItemId } from "./create-item-id.ts";
import { mapResponsesStatus } from "./map-responses-status.ts";
import { toFunctionCallItem } from "./to-function-call-item.ts";
import { toOutputMessage } from "./to-output-message.ts";
import { toReasoningItem } from "./to-reasoning-item.ts";
import { type ResponseMeta, type ResponseState, toResponseObject } from "./to-response-object.ts";
import { toResponsesUsage } from "./to-responses-usage.ts";

type Message = ReturnType<typeof toOutputMessage>;
type Reasoning = ReturnType<typeof toReasoningItem>;
type FunctionCall = ReturnType<typeof toFunctionCallItem>;

interface ResponsesEventEncoder {
  /** `response.created` and `response.in_progress`: what a stream opens with. */
  start(): string;
  /** The SSE text for a stream part, or "" for parts that have no Responses counterpart. */
  encode(part: LanguageModelV3StreamPart): string;
  /** `response.failed` for an error after the stream began. */
  fail(message: string): string;
  /** The finished Response object, once the finish part has come. */
  readonly response: ReturnType<typeof toResponseObject> | undefined;
  /** The usage the finish part reported, once it has come. */
  readonly usage: LanguageModelV3Usage | undefined;
}

/**
 * Encodes provider stream parts as the Responses API's server-sent events, each numbered by
 * `sequence_number`: text as a message item (output_item.added, content_part.added,
 * output_text.delta..., output_text.done, content_part.done, output_item.done), reasoning alike
 * as a reasoning item (reasoning_text.delta, reasoning_text.done), calls as
 * function_call items with their argument deltas, and the finish part as `response.completed`
 * (or `response.incomplete`) carrying the whole Response with its usage.
 */
export function createResponsesEventEncoder(
  meta: ResponseMeta,
  parallelToolCalls: boolean,
): ResponsesEventEncoder {
  const state: ResponseState = {
    status: "in_progress",
    output: [],
    usage: null,
    incompleteDetails: null,
    error: null,
  };
  let sequence = 0;
  const calls = new Map<string, { item: FunctionCall; index: number }>();
  let callCount = 0;
  let usage: LanguageModelV3Usage | undefined;
  let response: ReturnType<typeof toResponseObject> | undefined;

  const event = (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const snapshot = () => toResponseObject(meta, { ...state, output: [...state.output] });

  // The message or reasoning item being written: one at a time, closed when anything else starts.
  let open: { item: Message | Reasoning; index: number } | undefined;

  // A message cut by the output cap is "incomplete", as OpenAI marks it.
  const closeText = (status: Message["status"] = "completed"): string => {
    if (!open) return "";
    const { item, index } = open;
    open = undefined;
    item.status = status;
    const part = item.content[0];
    const at = { item_id: item.id, output_index: index, content_index: 0 };
    const done =
      item.type === "message"
        ? event("response.output_text.done", { ...at, text: part.text, logprobs: [] })
        : event("response.reasoning_text.done", { ...at, text: part.text });
    return (
      done +
      event("response.content_part.done", { ...at, part }) +
      event("response.output_item.done", { output_index: index, item })
    );
  };

  const textDelta = (kind: "message" | "reasoning", delta: string): string => {
    if (delta === "") return "";
    let opened = "";
    if (open?.item.type !== kind) {
      opened = closeText();
      const item =
        kind === "message"
          ? toOutputMessage(createItemId("msg"), "in_progress", "")
          : toReasoningItem(createItemId("rs"), "in_progress", "");
      const index = state.output.push(item) - 1;
      open = { item, index };
      const { content, ...empty } = item;
      opened +=
        event("response.output_item.added", { output_index: index, item: { ...empty, content: [] } }) +
        event("response.content_part.added", {
          item_id: item.id,
          output_index: index,
          content_index: 0,
          part: { ...content[0] },
        });
    }
    const { item, index } = open!;
    item.content[0].text += delta;
    const at = { item_id: item.id, output_index: index, content_index: 0, delta };
    return (
      opened +
      (kind === "message"
        ? event("response.output_text.delta", { ...at, logprobs: [] })
        : event("response.reasoning_text.delta", at))
    );
  };

  // A call the client runs; undefined when parallel calls are off and one came already.
  const openCall = (callId: string, name: string): string | undefined => {
    if (!parallelToolCalls && callCount > 0) return undefined;
    callCount++;
    const item = toFunctionCallItem(createItemId("fc"), "in_progress", { callId, name, arguments: "" });
    const index = state.output.push(item) - 1;
    calls.set(callId, { item, index });
    return closeText() + event("response.output_item.added", { output_index: index, item: { ...item } });
  };

  const closeCall = (callId: string): string => {
    const call = calls.get(callId);
    if (!call || call.item.status === "completed") return "";
    const { item, index } = call;
    item.status = "completed";
    return (
      event("response.function_call_arguments.done", {
        item_id: item.id,
        output_index: index,
        name: item.name,
        arguments: item.arguments,
      }) + event("response.output_item.done", { output_index: index, item })
    );
  };

  const argumentsDelta = (callId: string, delta: string): string => {
    const call = calls.get(callId);
    if (!call || delta === "") return "";
    call.item.arguments += delta;
    return event("response.function_call_arguments.delta", {
      item_id: call.item.id,
      output_index: call.index,
      delta,
    });
  };

  return {
    get response() {
      return response;
    },
    get usage() {
      return usage;
    },
    start() {
      const created = snapshot();
      return (
        event("response.created", { response: created }) +
        event("response.in_progress", { response: created })
      );
    },
    encode(part) {
      switch (part.type) {
        case "text-delta":
          return textDelta("message", part.delta);
        case "reasoning-delta":
          return textDelta("reasoning", part.delta);
        case "tool-input-start":
          return part.providerExecuted ? "" : (openCall(part.id, part.toolName) ?? "");
        case "tool-input-delta":
          return argumentsDelta(part.id, part.delta);
        case "tool-call": {
          if (part.providerExecuted) return "";
          const call = calls.get(part.toolCallId);
          if (call) {
            // A call that streamed no arguments still gets its "{}".
            const rest = call.item.arguments === "" ? argumentsDelta(part.toolCallId, part.input) : "";
            return rest + closeCall(part.toolCallId);
          }
          const opened = openCall(part.toolCallId, part.toolName);
          if (opened === undefined) return "";
          return opened + argumentsDelta(part.toolCallId, part.input) + closeCall(part.toolCallId);
        }
        case "finish": {
          usage = part.usage;
          const { status, incomplete_details } = mapResponsesStatus(part.finishReason);
          let text = closeText(status);
          for (const callId of calls.keys()) text += closeCall(callId);
          state.status = status;
          state.incompleteDetails = incomplete_details;
          state.usage = toResponsesUsage(part.usage);
          response = snapshot();
          return (
            text + event(status === "completed" ? "response.completed" : "response.incomplete", { response })
          );
        }
        default:
          return "";
      }
    },
    fail(errorMessage) {
      state.status = "failed";
      state.error = { code: "server_error", message: errorMessage };
      return event("response.failed", { response: snapshot() });
    },
  };
}
