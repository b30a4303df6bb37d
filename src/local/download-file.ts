import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm, stat } from "node:fs/promises";
import { Agent, fetch, type Response } from "undici";
import { classifyNetworkError } from "../core/classify-network-error.ts";
import { LlmuxError } from "../core/errors.ts";

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
}

interface DownloadFileOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Give up on a host that does not accept the connection within this time. */
  connectTimeoutMs?: number;
  /** Give up when no headers or body bytes arrive for this long. */
  idleTimeoutMs?: number;
}

interface DownloadedFile {
  sha256: string;
  size: number;
  /** The commit the Hugging Face hub served the file from (`X-Repo-Commit`), when it says. */
  commit: string | undefined;
}

const MAX_REDIRECTS = 10;
const PROGRESS_INTERVAL_MS = 100;
const RESUME_HINT = "Run the same command again to resume the download";

/**
 * Downloads `url` into `partialPath`, resuming from what is already there (`Range`), and checks
 * the sha256 the server vouches for (the hub's `X-Linked-Etag`, or an `ETag` that is a sha256).
 * A failed or cancelled download keeps the partial file for the next try; a wrong checksum
 * deletes it.
 */
export async function downloadFile(
  url: string,
  partialPath: string,
  options: DownloadFileOptions = {},
): Promise<DownloadedFile> {
  const { signal, onProgress, connectTimeoutMs = 10_000, idleTimeoutMs = 30_000 } = options;
  const agent = new Agent({
    connectTimeout: connectTimeoutMs,
    headersTimeout: idleTimeoutMs,
    bodyTimeout: idleTimeoutMs,
  });
  const host = new URL(url).host;
  let receivedBytes = 0;
  let totalBytes: number | undefined;
  try {
    let offset = await sizeOf(partialPath);
    let reply = await get(url, offset, agent, signal);
    if (offset > 0 && !resumes(reply.response, offset)) {
      // The server ignored the range (200) or refused it (416): start over from byte 0.
      if (reply.response.status !== 200) {
        await reply.response.body?.cancel();
        reply = await get(url, 0, agent, signal);
      }
      offset = 0;
    }
    const { response } = reply;
    if (!response.ok) {
      await response.body?.cancel();
      throw new LlmuxError("download_failed", `Download of ${url} failed: HTTP ${response.status}`, {
        status: response.status,
        hint:
          response.status === 404
            ? "Check the model name or the URL; the file is not on the server"
            : "Try again later, or check the URL",
      });
    }
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    totalBytes = Number.isFinite(length) ? offset + length : undefined;
    const expectedSha256 = sha256Of(reply.linkedEtag ?? response.headers.get("etag"));

    const hash = createHash("sha256");
    if (offset > 0) {
      for await (const chunk of createReadStream(partialPath, { end: offset - 1 }))
        hash.update(chunk as Buffer);
    }
    receivedBytes = offset;
    const file = await open(partialPath, offset > 0 ? "r+" : "w");
    const started = performance.now();
    let lastReport = 0;
    const report = (force: boolean) => {
      const now = performance.now();
      if (!onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
      lastReport = now;
      const bytesPerSecond = (receivedBytes - offset) / Math.max((now - started) / 1000, 0.001);
      const etaSeconds =
        totalBytes !== undefined && bytesPerSecond > 0
          ? (totalBytes - receivedBytes) / bytesPerSecond
          : undefined;
      onProgress({ receivedBytes, totalBytes, bytesPerSecond, etaSeconds });
    };
    try {
      await file.truncate(offset);
      report(true);
      if (response.body) {
        for await (const chunk of response.body) {
          await file.write(chunk, 0, chunk.length, receivedBytes);
          hash.update(chunk);
          receivedBytes += chunk.length;
          report(false);
        }
      }
      report(true);
    } finally {
      await file.close();
    }
    if (totalBytes !== undefined && receivedBytes !== totalBytes) {
      throw new LlmuxError(
        "download_failed",
        `Download from ${host} ended early (${receivedBytes} of ${totalBytes} bytes); the partial file is kept`,
        { hint: RESUME_HINT },
      );
    }
    const sha256 = hash.digest("hex");
    if (expectedSha256 && sha256 !== expectedSha256) {
      await rm(partialPath, { force: true });
      throw new LlmuxError(
        "checksum_mismatch",
        `The file downloaded from ${host} has sha256 ${sha256}, the server says ${expectedSha256}; it was deleted`,
        { hint: "Pull it again; if this persists the file on the server changed or is damaged" },
      );
    }
    return { sha256, size: receivedBytes, commit: reply.commit };
  } catch (error) {
    throw describeFailure(error, { host, signal, receivedBytes, totalBytes });
  } finally {
    await agent.destroy();
  }
}

interface Reply {
  response: Response;
  linkedEtag: string | undefined;
  commit: string | undefined;
}

/** GET with redirects followed by hand, to keep the hub's `X-Linked-*` headers of the first hop. */
async function get(
  url: string,
  offset: number,
  agent: Agent,
  signal: AbortSignal | undefined,
): Promise<Reply> {
  let linkedEtag: string | undefined;
  let commit: string | undefined;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetch(current, {
      dispatcher: agent,
      redirect: "manual",
      signal,
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
    });
    linkedEtag ??= response.headers.get("x-linked-etag") ?? undefined;
    commit ??= response.headers.get("x-repo-commit") ?? undefined;
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return { response, linkedEtag, commit };
    await response.body?.cancel();
    current = new URL(location, current).href;
  }
  throw new LlmuxError("download_failed", `Download of ${url} failed: more than ${MAX_REDIRECTS} redirects`);
}

function resumes(response: Response, offset: number): boolean {
  const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
  return response.status === 206 && Number(range?.[1]) === offset;
}

function sha256Of(etag: string | null | undefined): string | undefined {
  const value = etag?.replace(/^W\//, "").replaceAll('"', "").toLowerCase();
  return value && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function describeFailure(
  error: unknown,
  context: {
    host: string;
    signal: AbortSignal | undefined;
    receivedBytes: number;
    totalBytes: number | undefined;
  },
): LlmuxError {
  if (error instanceof LlmuxError) return error;
  if (context.signal?.aborted) {
    return new LlmuxError("aborted", "Download cancelled; the partial file is kept", {
      hint: RESUME_HINT,
      cause: error,
    });
  }
  const progress =
    context.totalBytes !== undefined
      ? `${context.receivedBytes} of ${context.totalBytes}`
      : `${context.receivedBytes}`;
  const suffix = context.receivedBytes > 0 ? `after ${progress} bytes; the partial file is kept` : undefined;
  const said = error instanceof Error ? error.message : String(error);
  return (
    classifyNetworkError(error, { reaching: "download", name: context.host, suffix }) ??
    new LlmuxError(
      "download_failed",
      `The download from ${context.host} failed (${said}) after ${progress} bytes`,
      {
        hint: RESUME_HINT,
        cause: error,
      },
    )
  );
}
