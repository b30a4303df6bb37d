import { toOpenAIError } from "../openai/to-openai-error.ts";
import type { WireDialect } from "../server/wire-dialect.ts";

/** OpenAI's Responses API (/v1/responses): OpenAI's error object, its own label in /metrics. */
export const responsesDialect: WireDialect = { name: "responses", toErrorResponse: toOpenAIError };
