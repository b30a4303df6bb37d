import type { LanguageModelV3Content } from "@ai-sdk/provider";
import { createItemId } from "./create-item-id.ts";
import { toFunctionCallItem } from "./to-function-call-item.ts";
import { toOutputMessage } from "./to-output-message.ts";
import { toReasoningItem } from "./to-reasoning-item.ts";

type Item =
  | ReturnType<typeof toOutputMessage>
  | ReturnType<typeof toReasoningItem>
  | ReturnType<typeof toFunctionCallItem>;

/**
 * A provider's whole answer as Response output items, in its order (reasoning before the text
 * it leads to): reasoning as a reasoning item, text as a message, each call the client runs as a function_call (only the first without
 * parallel tool calls). A message cut by the output cap is `status: "incomplete"`
 * (`messageStatus`), as OpenAI marks it.
 */
export function toResponsesOutput(
  content: readonly LanguageModelV3Content[],
  parallelToolCalls: boolean,
  messageStatus: "completed" | "incomplete",
): Item[] {
  const output: Item[] = [];
  let calls = 0;
  for (const part of content) {
    const last = output.at(-1);
    if (part.type === "text" && part.text !== "") {
      if (last?.type === "message") last.content[0].text += part.text;
      else output.push(toOutputMessage(createItemId("msg"), "completed", part.text));
    } else if (part.type === "reasoning" && part.text !== "") {
      // Thought before what it answers, as OpenAI orders them (some providers list text first).
      const at = last?.type === "message" ? output.length - 1 : output.length;
      const before = output[at - 1];
      if (before?.type === "reasoning") before.content[0].text += part.text;
      else output.splice(at, 0, toReasoningItem(createItemId("rs"), "completed", part.text));
    } else if (part.type === "tool-call" && !part.providerExecuted) {
      if (!parallelToolCalls && calls > 0) continue;
      calls++;
      output.push(
        toFunctionCallItem(createItemId("fc"), "completed", {
          callId: part.toolCallId,
          name: part.toolName,
          arguments: part.input,
        }),
      );
    }
  }
  const last = output.at(-1);
  if (last && last.type !== "function_call") last.status = messageStatus;
  return output;
}
