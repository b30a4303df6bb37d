import { toOpenAIError } from "../openai/to-openai-error.ts";
import type { WireDialect } from "../server/wire-dialect.ts";

/**
 * Ollama's wire format (/api/*): an error is `{"error": "message"}`, the one field Ollama's
 * clients read (the `ollama` npm client shows "[object Object]" for anything else). Statuses and
 * messages are the gateway's own, scrubbed of secrets (toOpenAIError).
 */
export const ollamaDialect: WireDialect = {
  name: "ollama",
  toErrorResponse(error) {
    const { status, body } = toOpenAIError(error);
    return { status, body: { error: body.error.message } };
  },
};
