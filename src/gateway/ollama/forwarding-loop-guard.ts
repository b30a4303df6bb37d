import type { IncomingMessage } from "node:http";
import { RequestError } from "../openai/request-error.ts";

/**
 * With `--ollama-port 11434`, an `ollama:` model whose Ollama host is still the default
 * 127.0.0.1:11434 is the gateway itself: its requests would go round in a circle until the
 * connection cap stopped them. The gateway marks what it forwards to an Ollama upstream, and
 * refuses a marked request that comes back.
 */
export const forwardingLoopGuard = {
  /** Added to every request forwarded to an Ollama upstream. */
  header: { "x-llmux-forwarded": "ollama" },
  /** A 508 for a request the gateway forwarded to itself. */
  check(req: IncomingMessage): void {
    if (req.headers["x-llmux-forwarded"] === undefined) return;
    throw new RequestError(
      508,
      "llmux forwarded this request to itself: the Ollama host of its ollama: models (OLLAMA_HOST, providers.ollama.baseURL) is this gateway's own Ollama port. Set it to where Ollama runs, or serve Ollama's API on another --ollama-port",
      { code: "loop_detected" },
    );
  },
};
