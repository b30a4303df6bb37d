import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import type { RequestCapture } from "./create-request-capture.ts";
import { type RelayOptions, type RelayResult, relayUpstream } from "./relay-upstream.ts";

/**
 * Has the AI SDK build the provider request for `callOptions` (doStream or doGenerate, as
 * `stream` says), then sends it itself and writes what `relay` makes of the answer's bytes
 * (relayUpstream): the protocol details stay with the SDK, the answer skips its pipeline.
 */
export async function relayCapturedCall(
  options: Omit<RelayOptions, "origin" | "path" | "headers" | "body"> & {
    model: LanguageModelV3;
    callOptions: Omit<LanguageModelV3CallOptions, "abortSignal">;
    capture: RequestCapture;
  },
): Promise<RelayResult> {
  const { model, callOptions, capture, ...relayOptions } = options;
  const { url, headers, body } = await capture.capture((abortSignal) =>
    options.stream
      ? model.doStream({ ...callOptions, abortSignal })
      : model.doGenerate({ ...callOptions, abortSignal }),
  );
  const { origin, pathname, search } = new URL(url);
  return relayUpstream({ ...relayOptions, origin, path: `${pathname}${search}`, headers, body });
}
