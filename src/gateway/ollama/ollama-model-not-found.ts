import { RequestError } from "../openai/request-error.ts";

/** Ollama's own 404 for a model it does not have: `model 'x' not found`. */
export function ollamaModelNotFound(name: string): RequestError {
  return new RequestError(404, `model '${name.length > 200 ? `${name.slice(0, 200)}...` : name}' not found`, {
    param: "model",
    code: "model_not_found",
  });
}
