import type { z } from "zod";
import { RequestError } from "../openai/request-error.ts";

/** A zod failure as Ollama's 400, naming the field. */
export function toOllamaRequestError(error: z.ZodError): RequestError {
  const issue = error.issues[0]!;
  const param = issue.path
    .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
    .join("")
    .slice(1);
  return new RequestError(400, `invalid ${param || "request"}: ${issue.message}`, {
    param: param || null,
    code: "invalid_value",
  });
}
