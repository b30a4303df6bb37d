import type { ModelRoute } from "../v1/create-model-routes.ts";

// OpenAI's own API and Azure OpenAI's v1 API serve /responses; other OpenAI-compatible APIs
// (Groq, Mistral, Ollama's /v1, your endpoints...) speak chat completions only.
const NATIVE = new Set(["openai", "azure"]);

/** Whether a model's upstream takes Responses API requests as they are (then they are forwarded). */
export function speaksResponses(route: ModelRoute): boolean {
  return route.passthrough !== undefined && NATIVE.has(route.resolved.provider);
}
