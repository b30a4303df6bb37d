import type { IncomingMessage, ServerResponse } from "node:http";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { countTokens } from "../../providers/count-tokens.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { sendText } from "../server/send-text.ts";
import { allowlistNames } from "../v1/allowlist-names.ts";
import { AttemptState } from "../v1/attempt-state.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { readModelRequest } from "../v1/read-model-request.ts";
import { headerValue } from "../v1/relay-upstream.ts";
import { runWithFallbacks } from "../v1/run-with-fallbacks.ts";
import { convertAnthropicRequestToCallOptions } from "./convert-anthropic-request-to-call-options.ts";
import { createAnthropicPassthroughRelay } from "./create-anthropic-passthrough-relay.ts";
import { forwardToAnthropic } from "./forward-to-anthropic.ts";

/**
 * POST /v1/messages/count_tokens: `{ "input_tokens": N }`. An Anthropic model's count comes from
 * Anthropic's own endpoint (the body forwarded); any other model's from its tokenizer where llmux
 * has it (OpenAI's encodings, a local model's vocabulary), else the estimate, over the prompt's
 * text, tool calls and results, and the tools' definitions. Costs nothing: no usage-log row.
 */
export async function handleAnthropicCountTokens(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
): Promise<void> {
  const { body, json, name } = await readModelRequest(
    context,
    req,
    "give a model name, e.g. anthropic:claude-sonnet-4-5",
  );
  if (key) await context.keys.authorize(key, allowlistNames(context, name));
  const state = new AttemptState(res);
  const result = await runWithFallbacks(
    context,
    name,
    state,
    async (route) => {
      if (route.resolved.provider === "anthropic") {
        const { modelId } = route.resolved;
        await forwardToAnthropic({
          context,
          route,
          req,
          path: "/messages/count_tokens",
          body: json.model === modelId ? body : JSON.stringify({ ...json, model: modelId }),
          relay: (url) => createAnthropicPassthroughRelay(url, false),
          res,
          stream: false,
          extraHeaders: { "x-llmux-model": route.resolved.reference },
          state,
        });
        return;
      }
      // count_tokens takes no max_tokens; the conversion checks everything else.
      const { callOptions } = convertAnthropicRequestToCallOptions(
        { ...json, max_tokens: 1 },
        headerValue(req.headers["anthropic-beta"]),
      );
      const text = promptText(callOptions.prompt) + JSON.stringify(callOptions.tools ?? []);
      const { count } = await countTokens(route.resolved, text, context.config);
      res.setHeader("x-llmux-model", route.resolved.reference);
      sendText(res, 200, "application/json", JSON.stringify({ input_tokens: count }));
    },
    { route: "count_tokens", dialect: "anthropic" },
  );
  // Answered in Anthropic's shape by the route (serveRoute), and counted in /metrics there.
  if (!result.ok) throw result.error;
}

// What of a prompt the model reads as text: files are left out (their count is the provider's).
function promptText(prompt: LanguageModelV3Prompt): string {
  const pieces: string[] = [];
  for (const message of prompt) {
    if (typeof message.content === "string") {
      pieces.push(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === "text" || part.type === "reasoning") pieces.push(part.text);
      else if (part.type === "tool-call") pieces.push(part.toolName, JSON.stringify(part.input));
      else if (part.type === "tool-result") pieces.push(JSON.stringify(part.output));
    }
  }
  return pieces.join("\n");
}
