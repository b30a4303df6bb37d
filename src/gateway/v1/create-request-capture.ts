/** A provider request the AI SDK built, taken over before it was sent. */
class CapturedRequest {
  constructor(
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {}
}

export interface RequestCapture {
  /** The fetch to give the AI SDK providers: it sends every request except those being captured. */
  fetch: typeof globalThis.fetch;
  /**
   * Runs `call` (a doGenerate or doStream given `signal`) up to the point where the provider
   * would send its HTTP request, and returns that request instead of sending it. Errors before
   * it (invalid options) are thrown as they are.
   */
  capture(call: (signal: AbortSignal) => PromiseLike<unknown>): Promise<CapturedRequest>;
}

/**
 * Lets the gateway use an AI SDK provider to build a request (messages, tools, options: the
 * protocol details its maintainers keep up) and send it itself, to read the answer's bytes
 * without the SDK's web-stream pipeline. Requests are told apart by their abort signal.
 */
export function createRequestCapture(): RequestCapture {
  const capturing = new WeakSet<AbortSignal>();
  return {
    fetch: (input, init) => {
      const signal = init?.signal;
      if (signal && capturing.has(signal)) {
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        const { headers } = init;
        // The AI SDK passes a plain object; anything else is normalised.
        const plain =
          headers === undefined || headers instanceof Headers || Array.isArray(headers)
            ? Object.fromEntries(new Headers(headers))
            : { ...headers };
        return Promise.reject(new CapturedRequest(url, plain, String(init.body)));
      }
      return globalThis.fetch(input, init);
    },
    async capture(call) {
      const controller = new AbortController();
      capturing.add(controller.signal);
      try {
        await call(controller.signal);
      } catch (error) {
        if (error instanceof CapturedRequest) return error;
        throw error;
      }
      throw new Error("The provider answered without sending a request");
    },
  };
}
