import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { isUrlSupported } from "@ai-sdk/provider-utils";
import { RequestError } from "../openai/request-error.ts";

/**
 * Refuses (400) a file the provider cannot fetch from its URL itself: doGenerate does not
 * download it first, as generateText would. `param` names where the client put it.
 */
export async function checkPromptUrls(
  model: LanguageModelV3,
  prompt: LanguageModelV3Prompt,
  param: string,
): Promise<void> {
  let supportedUrls: Record<string, RegExp[]> | undefined;
  for (const message of prompt) {
    if (message.role !== "user") continue;
    for (const part of message.content) {
      if (part.type !== "file" || !(part.data instanceof URL)) continue;
      supportedUrls ??= await model.supportedUrls;
      if (!isUrlSupported({ mediaType: part.mediaType, url: part.data.href, supportedUrls })) {
        throw new RequestError(
          400,
          `${model.provider} cannot fetch ${part.data.href} itself; send the image inline as a data: URL`,
          { param, code: "unsupported_url" },
        );
      }
    }
  }
}
