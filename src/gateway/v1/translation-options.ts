import type { ServerResponse } from "node:http";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";

/** What every dialect's translation (an attempt through the provider layer) is given. */
export interface TranslationOptions {
  model: LanguageModelV3;
  res: ServerResponse;
  timeoutMs: number;
  /** Headers added to the answer (x-llmux-model, x-llmux-ignored). */
  extraHeaders: Record<string, string>;
  state: AttemptState;
  /** Names the provider in errors its stream reports. */
  providerLabel: string;
}

/** The options every translation takes from the route it tries. */
export function translationOptions(
  route: ModelRoute,
  res: ServerResponse,
  state: AttemptState,
  extraHeaders: Record<string, string>,
): TranslationOptions {
  return {
    model: route.languageModel(),
    res,
    timeoutMs: route.timeoutMs,
    extraHeaders,
    state,
    providerLabel: route.resolved.definition.label,
  };
}
