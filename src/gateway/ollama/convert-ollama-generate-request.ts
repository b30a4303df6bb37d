import type { LanguageModelV3Message } from "@ai-sdk/provider";
import { z } from "zod";
import { RequestError } from "../openai/request-error.ts";
import type { OllamaCallRequest } from "./convert-ollama-chat-request.ts";
import { convertOllamaOptions } from "./convert-ollama-options.ts";
import { convertOllamaThink } from "./convert-ollama-think.ts";
import { toOllamaImage } from "./to-ollama-image.ts";
import { toOllamaRequestError } from "./to-ollama-request-error.ts";

const GENERATE_FIELDS = new Set([
  "model",
  "prompt",
  "system",
  "images",
  "format",
  "options",
  "stream",
  "think",
]);

// Fields whose loss would change the answer: the gateway cannot apply them to another engine.
const REFUSED: Record<string, string> = {
  raw: "raw prompts (no chat template) can only be sent to an Ollama upstream",
  template: "a custom prompt template can only be applied by an Ollama upstream",
  suffix: "fill-in-the-middle (suffix) can only be sent to an Ollama upstream",
  context:
    "context from an earlier /api/generate answer is not kept by llmux; send the conversation to /api/chat instead",
};

const generate = z.object({
  prompt: z.string().nullish(),
  system: z.string().nullish(),
  images: z.array(z.string()).nullish(),
  think: z.union([z.boolean(), z.enum(["low", "medium", "high"])]).nullish(),
});

/**
 * Validates an Ollama /api/generate body for a model reached by translation: `system` and
 * `prompt` (with its images) become one exchange, `format` and `options` as for /api/chat.
 * `raw`, `template`, `suffix` and `context` are refused with a 400 saying why (at their empty
 * defaults they are accepted).
 */
export function convertOllamaGenerateRequest(json: Record<string, unknown>): OllamaCallRequest {
  for (const [field, why] of Object.entries(REFUSED)) {
    const value = json[field];
    const unset =
      value == null || value === false || value === "" || (Array.isArray(value) && value.length === 0);
    if (!unset)
      throw new RequestError(400, `${field} is not supported for this model: ${why}`, {
        param: field,
        code: "unsupported_parameter",
      });
  }
  const parsed = generate.safeParse(json);
  if (!parsed.success) throw toOllamaRequestError(parsed.error);
  const { prompt, system, images } = parsed.data;
  const { settings, ignored } = convertOllamaOptions(json);
  const messages: LanguageModelV3Message[] = system ? [{ role: "system", content: system }] : [];
  messages.push({
    role: "user",
    content: [
      { type: "text", text: prompt ?? "" },
      ...(images ?? []).map((image, j) => toOllamaImage(image, `images[${j}]`)),
    ],
  });
  return {
    callOptions: { ...settings, prompt: messages, providerOptions: convertOllamaThink(parsed.data.think) },
    ignored: [
      ...Object.keys(json).filter((f) => !GENERATE_FIELDS.has(f) && !(f in REFUSED) && json[f] != null),
      ...ignored,
    ],
    showThinking: parsed.data.think !== false,
  };
}
