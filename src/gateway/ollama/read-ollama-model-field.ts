import { RequestError } from "../openai/request-error.ts";

/** The model a request names: `model`, or `name` as older clients (and the npm client's pull and delete) send it. */
export function readOllamaModelField(json: Record<string, unknown>): string {
  const name = json.model ?? json.name;
  if (typeof name !== "string" || name === "") {
    throw new RequestError(400, "model is required", { param: "model", code: "invalid_value" });
  }
  return name;
}
