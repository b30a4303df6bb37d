import type { WireDialect } from "../server/wire-dialect.ts";
import { toOpenAIError } from "./to-openai-error.ts";

/** OpenAI's wire format: /v1/chat/completions, /v1/embeddings, /v1/models, and the web app's API. */
export const openaiDialect: WireDialect = { name: "openai", toErrorResponse: toOpenAIError };
