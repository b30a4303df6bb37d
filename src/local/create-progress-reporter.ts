import { formatBytes } from "../core/format-bytes.ts";
import type { DownloadProgress } from "./download-file.ts";

const REDRAW_MS = 100;
const PLAIN_LINE_MS = 5_000;
const BAR_WIDTH = 24;

interface ProgressReporter {
  report(progress: DownloadProgress): void;
  /** Ends the progress line. */
  finish(): void;
}

/**
 * Shows download progress on a terminal stream: one line redrawn in place (bar, bytes, rate,
 * ETA) on a TTY; elsewhere (logs, pipes) a plain line every 10% or 5 seconds.
 */
export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
): ProgressReporter {
  let lastDraw = 0;
  let lastPlainDecile = -1;
  let last: DownloadProgress | undefined;
  let drawn = false;
  return {
    report(progress) {
      last = progress;
      const now = Date.now();
      if (stream.isTTY) {
        const complete = progress.totalBytes !== undefined && progress.receivedBytes >= progress.totalBytes;
        if (!complete && now - lastDraw < REDRAW_MS) return;
        lastDraw = now;
        drawn = true;
        stream.write(`\r${describe(progress, true)}\x1b[K`);
        return;
      }
      const decile =
        progress.totalBytes && progress.totalBytes > 0
          ? Math.floor((progress.receivedBytes / progress.totalBytes) * 10)
          : -1;
      if (decile > lastPlainDecile || now - lastDraw >= PLAIN_LINE_MS) {
        lastPlainDecile = Math.max(decile, lastPlainDecile);
        lastDraw = now;
        stream.write(`${describe(progress, false)}\n`);
      }
    },
    finish() {
      if (stream.isTTY && drawn && last) stream.write(`\r${describe(last, true)}\x1b[K\n`);
    },
  };
}

function describe(progress: DownloadProgress, bar: boolean): string {
  const { receivedBytes, totalBytes, bytesPerSecond, etaSeconds } = progress;
  const parts: string[] = [];
  if (totalBytes !== undefined && totalBytes > 0) {
    const fraction = Math.min(receivedBytes / totalBytes, 1);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
    if (bar) parts.push(`${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`);
    parts.push(`${formatBytes(receivedBytes)} / ${formatBytes(totalBytes)}`);
  } else {
    parts.push(formatBytes(receivedBytes));
  }
  parts.push(`${formatBytes(bytesPerSecond)}/s`);
  if (etaSeconds !== undefined && Number.isFinite(etaSeconds))
    parts.push(`ETA ${formatDuration(etaSeconds)}`);
  return parts.join("  ");
}

function formatDuration(seconds: number): string {
  const total = Math.ceil(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
