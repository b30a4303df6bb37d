import { useRef, useState } from "preact/hooks";
import { formatBytes } from "../../../src/core/format-bytes.ts";
import type { PullProgress } from "../../../src/gateway/app/app-api-types.ts";
import { isAbortError } from "../api/is-abort-error.ts";
import { streamPull } from "../api/stream-pull.ts";

interface Props {
  /** The model the server reported as not downloaded, `local:NAME`. */
  model: string;
  /** The server's words: which model, and its size. */
  message: string;
  onInstalled(): void;
  /** Offers a Cancel button when given. */
  onCancel?(): void;
}

/**
 * The web app's answer to a model that is not downloaded yet, as `llmux ask` offers it in a
 * terminal: the model and its size, Download or Cancel, then a progress bar until it is installed.
 */
export function ModelDownloadOffer({ model, message, onInstalled, onCancel }: Props) {
  const [progress, setProgress] = useState<PullProgress | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  const download = () => {
    const controller = new AbortController();
    abortRef.current = controller;
    setDownloading(true);
    setError(null);
    streamPull({ model, signal: controller.signal }, setProgress).then(
      () => onInstalled(),
      (failure: Error) => {
        setDownloading(false);
        if (!isAbortError(failure)) setError(failure.message);
      },
    );
  };

  return (
    <div class="download-offer" role="alert">
      <p>{message}. Download it now?</p>
      {downloading && (
        <p class="download-progress">
          <progress
            value={progress?.receivedBytes ?? 0}
            max={progress?.totalBytes ?? undefined}
            aria-label={`Downloading ${model}`}
          />{" "}
          {progress
            ? `${formatBytes(progress.receivedBytes)}${progress.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ""}`
            : "Starting…"}
        </p>
      )}
      {error && <p class="reply-error">{error}</p>}
      <div class="form-actions">
        {downloading ? (
          <button type="button" class="stop" onClick={() => abortRef.current?.abort()}>
            Stop download
          </button>
        ) : (
          <>
            <button type="button" class="primary" onClick={download}>
              Download
            </button>
            {onCancel && (
              <button type="button" onClick={onCancel}>
                Cancel
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
