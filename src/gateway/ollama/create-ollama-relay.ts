import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { redactSecrets } from "../../core/redact-secrets.ts";
import { PassthroughRelay, type PassthroughWire } from "../v1/passthrough-relay.ts";
import type { Relay } from "../v1/relay-upstream.ts";
import { toErrorInStream } from "../v1/to-error-in-stream.ts";

const ERROR_KEY = Buffer.from('"error"');

/**
 * An Ollama upstream's native answer (/api/chat, /api/generate) passed to an Ollama client as it
 * is: NDJSON lines or one JSON object. Usage comes from the final line's `prompt_eval_count` and
 * `eval_count`; a stream whose first line is `{"error": ...}` fails like an error status would
 * (so it may be retried or fall back), and one that fails later ends with such a line.
 */
export function createOllamaRelay(url: string, stream: boolean): Relay {
  return new OllamaRelay(url, stream);
}

const OLLAMA_WIRE: PassthroughWire = {
  streamType: "application/x-ndjson",
  wholeType: "application/json; charset=utf-8",
  finishKey: "done_reason",
};

class OllamaRelay extends PassthroughRelay {
  lateError: Error | undefined = undefined;

  constructor(url: string, stream: boolean) {
    super(url, stream, OLLAMA_WIRE);
  }

  protected errorAtStart(chunk: Buffer): string | undefined {
    return chunk.subarray(0, 16).indexOf(ERROR_KEY) === -1 ? undefined : chunk.toString("utf8");
  }

  protected pass(chunk: Buffer): Buffer {
    // A whole answer passes as it is, its length forwarded (Ollama sends an error with an error
    // status then); in a stream, an error line may quote the credential the upstream received.
    if (!this.stream || chunk.indexOf(ERROR_KEY) === -1) return chunk;
    const text = chunk.toString("utf8");
    // Ollama ends a stream that failed mid-way with an {"error": ...} line.
    if (/(^|\n)\{"error"\s*:/.test(text)) this.lateError ??= toErrorInStream(this.url, text);
    const scrubbed = redactSecrets(text);
    return scrubbed === text ? chunk : Buffer.from(scrubbed);
  }

  usage(): TokenUsage | undefined {
    const last = this.tail.joined();
    return last && readCounts(last.toString("utf8"));
  }

  failure(message: string): string {
    return `${JSON.stringify({ error: message })}\n`;
  }
}

// The counts of the last JSON line (the whole body when not streamed).
function readCounts(text: string): TokenUsage | undefined {
  const trimmed = text.trimEnd();
  try {
    const last = JSON.parse(trimmed.slice(trimmed.lastIndexOf("\n") + 1)) as {
      prompt_eval_count?: unknown;
      eval_count?: unknown;
    };
    if (typeof last.eval_count !== "number" && typeof last.prompt_eval_count !== "number") return undefined;
    return {
      inputTokens: typeof last.prompt_eval_count === "number" ? last.prompt_eval_count : 0,
      outputTokens: typeof last.eval_count === "number" ? last.eval_count : 0,
    };
  } catch {
    return undefined;
  }
}
