import type { TokenUsage } from "../../catalog/compute-cost.ts";
import { redactSecrets } from "../../core/redact-secrets.ts";
import { ByteTail } from "../v1/byte-tail.ts";
import type { Relay, UpstreamHeaders } from "../v1/relay-upstream.ts";
import { relayedHeaders } from "../v1/relayed-headers.ts";
import { scanFinishReason } from "../v1/scan-finish-reason.ts";
import { toErrorInStream } from "../v1/to-error-in-stream.ts";

// Enough of a stream's end to hold its final line, which carries the counts.
const TAIL_BYTES = 8192;
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

// A class, not an object of closures: one allocation per request, and no closure scope kept
// alive for the whole answer (which under load V8 promotes; see AttemptState).
class OllamaRelay implements Relay {
  error: Error | undefined = undefined;
  lateError: Error | undefined = undefined;
  private readonly tail: ByteTail;
  private first = true;

  constructor(
    private readonly url: string,
    private readonly stream: boolean,
  ) {
    this.tail = new ByteTail(TAIL_BYTES, stream);
  }

  headers(upstream: UpstreamHeaders): Record<string, string> {
    const { stream } = this;
    return relayedHeaders(
      upstream,
      stream,
      stream ? "application/x-ndjson" : "application/json; charset=utf-8",
    );
  }

  data(chunk: Buffer): Buffer {
    const { stream } = this;
    if (this.first) {
      this.first = false;
      if (stream && chunk.subarray(0, 16).indexOf(ERROR_KEY) !== -1) {
        this.error = toErrorInStream(this.url, chunk.toString("utf8"));
        return chunk;
      }
    }
    this.tail.push(chunk);
    // A whole answer passes as it is, its length forwarded (Ollama sends an error with an error
    // status then); in a stream, an error line may quote the credential the upstream received.
    if (!stream || chunk.indexOf(ERROR_KEY) === -1) return chunk;
    const text = chunk.toString("utf8");
    // Ollama ends a stream that failed mid-way with an {"error": ...} line.
    if (/(^|\n)\{"error"\s*:/.test(text)) this.lateError ??= toErrorInStream(this.url, text);
    const scrubbed = redactSecrets(text);
    return scrubbed === text ? chunk : Buffer.from(scrubbed);
  }

  end(): string {
    return "";
  }

  usage(): TokenUsage | undefined {
    const last = this.tail.joined();
    return last && readCounts(last.toString("utf8"));
  }

  finishReason(): string | undefined {
    const last = this.tail.joined();
    return last && scanFinishReason(last, "done_reason");
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
