import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { z } from "zod";
import { RequestError } from "../openai/request-error.ts";

type Settings = Pick<
  LanguageModelV3CallOptions,
  | "temperature"
  | "topP"
  | "topK"
  | "maxOutputTokens"
  | "stopSequences"
  | "seed"
  | "presencePenalty"
  | "frequencyPenalty"
  | "responseFormat"
>;

// Sampling options every provider takes.
const sampling = z.object({
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  // -1 (until done) and -2 (until the context is full) leave the cap to the model.
  num_predict: z.number().int().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  seed: z.number().int().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
});
const HONOURED = new Set(Object.keys(sampling.shape));

const format = z.union([z.literal(""), z.literal("json"), z.record(z.string(), z.unknown())]).optional();

/**
 * Ollama's `options` and `format` as the provider layer's call settings, for a model reached by
 * translation. Options that only tune Ollama's runtime or its own samplers (num_ctx, num_thread,
 * repeat_penalty, mirostat...) have no counterpart elsewhere and do not change what the answer
 * means: they are returned as ignored, for the `x-llmux-ignored` header, never refused (Ollama
 * itself ignores options it does not know). `format` is honoured or refused, never dropped.
 */
export function convertOllamaOptions(json: Record<string, unknown>): {
  settings: Settings;
  ignored: string[];
} {
  const options = json.options ?? {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new RequestError(400, "options must be an object", { param: "options", code: "invalid_value" });
  }
  const present: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    if (value === null || value === undefined) continue;
    if (HONOURED.has(name)) present[name] = value;
    else ignored.push(`options.${name}`);
  }
  const parsed = sampling.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RequestError(400, `invalid options.${issue.path.join(".")}: ${issue.message}`, {
      param: "options",
      code: "invalid_value",
    });
  }
  const formatParsed = format.safeParse(json.format ?? undefined);
  if (!formatParsed.success) {
    throw new RequestError(400, 'invalid format: give "json" or a JSON schema object', {
      param: "format",
      code: "invalid_value",
    });
  }
  const o = parsed.data;
  const schema = formatParsed.data;
  return {
    settings: {
      temperature: o.temperature,
      topP: o.top_p,
      topK: o.top_k,
      maxOutputTokens: o.num_predict !== undefined && o.num_predict > 0 ? o.num_predict : undefined,
      stopSequences: typeof o.stop === "string" ? [o.stop] : o.stop,
      seed: o.seed,
      presencePenalty: o.presence_penalty,
      frequencyPenalty: o.frequency_penalty,
      responseFormat:
        schema === undefined || schema === ""
          ? undefined
          : schema === "json"
            ? { type: "json" }
            : { type: "json", schema: schema as never },
    },
    ignored,
  };
}
