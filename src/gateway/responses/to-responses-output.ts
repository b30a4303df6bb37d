import type { LanguageModelV3Content } from "@ai-sdk/provider";
import { createItemId } from "./create-item-id.ts";
import { toFunctionCallItem } from "./to-function-call-item.ts";
import { toOutputMessage } from "./to-output-message.ts";

/**
 * A provider's whole answer as Response output items: text between calls as one message, each
 * call the client runs as a function_call (only the first without parallel tool calls). Reasoning
 * is left out: no client could send it back to the upstream that wrote it. A message cut by the
 * output cap is `status: "incomplete"` (`messageStatus`), as OpenAI marks it.
 */
export function toResponsesOutput(
  content: readonly LanguageModelV3Content[],
  parallelToolCalls: boolean,
  messageStatus: "completed" | "incomplete",
) {
  const output: (ReturnType<typeof toOutputMessage> | ReturnType<typeof toFunctionCallItem>)[] = [];
  let message: ReturnType<typeof toOutputMessage> | undefined;
  let calls = 0;
  for (const part of content) {
    if (part.type === "text" && part.text !== "") {
      if (message) message.content[0].text += part.text;
      else {
        message = toOutputMessage(createItemId("msg"), messageStatus, part.text);
        output.push(message);
      }
    } else if (part.type === "tool-call" && !part.providerExecuted) {
      message = undefined;
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
  return output;
}
