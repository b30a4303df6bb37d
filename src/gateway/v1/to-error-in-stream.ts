import { APICallError } from "@ai-sdk/provider";

/**
 * An error an upstream sent as its stream's first event, though the status was 200: as a 502
 * carrying it, so it maps (toLlmuxError) like an error status would and may still be retried.
 */
export function toErrorInStream(url: string, responseBody: string): APICallError {
  return new APICallError({
    message: "HTTP 502",
    url,
    requestBodyValues: undefined,
    statusCode: 502,
    responseBody,
  });
}
